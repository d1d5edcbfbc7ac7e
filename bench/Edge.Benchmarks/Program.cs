using System.Globalization;
using BenchmarkDotNet.Running;

namespace Edge.Benchmarks;

/// <summary>Runs the benchmarks: <c>dotnet run -c Release --project bench/Edge.Benchmarks -- --filter '*'</c>.</summary>
public static class Program
{
    /// <summary>
    /// Entry point; arguments go to BenchmarkDotNet's switcher, except <c>denormal-interleaved [ROUNDS]</c> and
    /// <c>denormal-count [STEPS]</c> (<see cref="DenormalInterleaved"/>).
    /// </summary>
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "denormal-interleaved")
        {
            DenormalInterleaved.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 300);
            return;
        }
        if (args.Length > 0 && args[0] == "denormal-count")
        {
            DenormalInterleaved.CountAfterRepeatedToken(args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : 20_000);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
