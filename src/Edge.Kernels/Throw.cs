using System.Diagnostics.CodeAnalysis;

namespace Edge.Kernels;

/// <summary>Throw helpers for argument checks at the kernels' public boundary, kept out of the hot loops.</summary>
internal static class Throw
{
    [DoesNotReturn]
    public static void Length(string name, long expected, long actual) =>
        throw new ArgumentException($"{name} has length {actual}, expected {expected}.", name);

    [DoesNotReturn]
    public static void Overlap(string a, string b) =>
        throw new ArgumentException($"{a} and {b} must not overlap.", a);
}
