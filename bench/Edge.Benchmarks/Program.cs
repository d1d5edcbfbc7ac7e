using BenchmarkDotNet.Running;

namespace Edge.Benchmarks;

/// <summary>Runs the step benchmarks: <c>dotnet run -c Release --project bench/Edge.Benchmarks -- --filter '*'</c>.</summary>
public static class Program
{
    /// <summary>Entry point (BenchmarkDotNet's switcher: pick benchmarks with --filter).</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
