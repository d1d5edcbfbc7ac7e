using System.Diagnostics;
using Edge.Streams;

namespace Edge.Diagnostics;

/// <summary>
/// A short timing of one stream's steps for choosing settings (<c>edge profile detect</c>): the same inputs and text as
/// <see cref="StepBenchmark"/>, a warm-up of at least 20 steps and <c>warmup</c>, then steps until <c>measure</c> has passed
/// (at least 5); the median µs per step. No allocation or memory figures: use <see cref="StepBenchmark"/> for those.
/// </summary>
public static class StepTimer
{
    /// <summary>The median microseconds per step of <paramref name="model"/> after warming up for <paramref name="warmup"/>, over <paramref name="measure"/>.</summary>
    public static double MedianMicroseconds(EdgeModel model, TimeSpan warmup, TimeSpan measure)
    {
        using var stream = model.CreateStream();
        StepBenchmark.Prepare(stream);
        var inputs = StepBenchmark.MakeInputs(model);
        int f = model.InputSize, rows = inputs.Length / Math.Max(1, f);
        var output = new float[model.OutputSize];
        JitWarmup.Run(20, warmup, i => stream.Step(inputs.AsSpan(i % rows * f, f), output));
        stream.Reset();
        var ticks = new List<long>(4096);
        long end = Stopwatch.GetTimestamp() + (long)(measure.TotalSeconds * Stopwatch.Frequency);
        for (int i = 0; ticks.Count < 5 || (Stopwatch.GetTimestamp() < end && ticks.Count < 1_000_000); i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            stream.Step(inputs.AsSpan(i % rows * f, f), output);
            ticks.Add(Stopwatch.GetTimestamp() - t0);
        }
        ticks.Sort();
        return ticks[ticks.Count / 2] * 1e6 / Stopwatch.Frequency;
    }
}
