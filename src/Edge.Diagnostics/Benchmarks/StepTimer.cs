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

    /// <summary>
    /// The median microseconds per stream of a <see cref="StreamBatch"/> of <paramref name="batch"/> streams of
    /// <paramref name="model"/> (one batch step's median over <paramref name="batch"/>), each stream on its own row of
    /// the same inputs, warmed up and measured as <see cref="MedianMicroseconds"/>.
    /// </summary>
    public static double MedianMicrosecondsPerStream(EdgeModel model, int batch, TimeSpan warmup, TimeSpan measure)
    {
        var members = new ModelStream[batch];
        using var group = new StreamBatch(model, batch);
        try
        {
            for (int k = 0; k < batch; k++)
            {
                members[k] = model.CreateStream();
                StepBenchmark.Prepare(members[k]);
                group.Add(members[k]);
            }
            var rows = StepBenchmark.MakeInputs(model);
            int f = model.InputSize, count = rows.Length / Math.Max(1, f);
            var inputs = new float[(count + batch) * f];
            for (int r = 0; r < count + batch; r++) rows.AsSpan(r % count * f, f).CopyTo(inputs.AsSpan(r * f));
            var outputs = new float[batch * model.OutputSize];
            JitWarmup.Run(20, warmup, i => group.Step(inputs.AsSpan(i % count * f, batch * f), outputs));
            var ticks = new List<long>(4096);
            long end = Stopwatch.GetTimestamp() + (long)(measure.TotalSeconds * Stopwatch.Frequency);
            for (int i = 0; ticks.Count < 5 || (Stopwatch.GetTimestamp() < end && ticks.Count < 1_000_000); i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                group.Step(inputs.AsSpan(i % count * f, batch * f), outputs);
                ticks.Add(Stopwatch.GetTimestamp() - t0);
            }
            ticks.Sort();
            return ticks[ticks.Count / 2] * 1e6 / Stopwatch.Frequency / batch;
        }
        finally
        {
            foreach (var m in members) m?.Dispose();
        }
    }
}
