using Edge.Formats.Npy;

namespace Edge.Fuzz.Targets;

/// <summary>A <c>.npy</c> array (golden inputs and outputs, codebooks).</summary>
public sealed class NpyTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "npy";

    /// <inheritdoc />
    public override string Parses => "NpyFile.Parse";

    /// <inheritdoc />
    public override IEnumerable<FuzzSeed> Seeds(FuzzFixtures fixtures)
    {
        yield return new("matrix", NpyFile.ToBytes(new NpyArray([2, 3], [1, 2, 3, 4, 5, 6])));
        yield return new("vector", NpyFile.ToBytes(new NpyArray([4], [0.5f, -1, 2, 1e-3f])));
        yield return new("scalar", NpyFile.ToBytes(new NpyArray([], [7])));
    }

    /// <inheritdoc />
    public override void Run(byte[] input, FuzzFixtures fixtures) => NpyFile.Parse(input, "fuzz.npy");
}
