using System.Diagnostics;
using Edge.Backends;
using Edge.Families.Gla;
using Edge.Packages;
using Edge.Streams;

namespace Edge.Diagnostics;

/// <summary>
/// <c>edge bench --gla-release --batch B</c>: B streams of the release-size decoder (<see cref="GlaReleaseBenchmark"/>),
/// each with its own text, stepped together by the family's batched step (what a <c>StreamBatch</c> of B members
/// runs: each weight read once per batch step), against one stream stepped alone on the same model, in alternating
/// blocks in one run so both see the same load from other work. Reports the aggregate tokens/s of both and the
/// bytes arithmetic: a batch step reads the weights once and B states (read and written), so the bound on the
/// speed-up is <c>B (W + 2S) / (W + 2BS)</c> (4.04× at B = 8 in fp32).
/// </summary>
public static class GlaReleaseBatchBenchmark
{
    /// <summary>
    /// Builds the model with its matrices at <paramref name="precision"/>, steps it on <paramref name="threads"/> threads
    /// (null: <see cref="Edge.Kernels.KernelThreads.Automatic"/>), and times <paramref name="steps"/> batch steps of
    /// <paramref name="batch"/> streams and <paramref name="steps"/> steps of one stream, alternating in blocks.
    /// </summary>
    public static GlaReleaseBatchResult Run(int batch, int steps = 20, int warmup = 3, Action<string>? log = null,
        WeightPrecision precision = WeightPrecision.Fp32, int? threads = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        var c = GlaReleaseBenchmark.ReleaseConfig;
        log?.Invoke($"making random weights in memory ({precision.Name()}) …");
        using var built = GlaReleaseBenchmark.Build(c, seed: 1, precision, threads: 1);
        int n = threads ?? Edge.Kernels.KernelThreads.Automatic(built.StepWeightBytes);
        using var threaded = n > 1 ? built.WithThreads(n) : null;
        var model = threaded ?? built;
        log?.Invoke($"measuring memory bandwidth on {n} thread{(n == 1 ? "" : "s")} …");
        double bandwidth = MemoryBandwidth.MeasureReadBytesPerSecond(1L << 30, passes: 3, threads: Math.Min(n, Environment.ProcessorCount));

        const int textTokens = 64;
        var sessions = new IStepSession[batch];
        for (int k = 0; k < batch; k++)   // each stream its own text
        {
            int[] text = [GlaTokenizer.Bos, .. Enumerable.Range(0, textTokens - 2).Select(i => 3 + (i + 17 * k) % 250), GlaTokenizer.Eos];
            sessions[k] = model.CreateSession();
            sessions[k].Reset();
            ((ITextConditioning)sessions[k]).SetTextIds(text);
        }
        var alone = model.CreateSession();
        alone.Reset();
        ((ITextConditioning)alone).SetTextIds([GlaTokenizer.Bos, .. Enumerable.Range(0, textTokens - 2).Select(i => 3 + i % 250), GlaTokenizer.Eos]);
        using var step = model.CreateBatchStep(batch);
        var inputs = new float[batch];
        var outputs = new float[batch * model.OutputSize];
        var input = new float[1];
        var output = new float[model.OutputSize];
        var rng = new Random(3);
        log?.Invoke($"warming up, then {steps} timed batch steps of {batch} streams and {steps} steps of 1 stream, in alternating blocks, on {n} thread{(n == 1 ? "" : "s")} …");
        JitWarmup.Run(warmup, TimeSpan.FromSeconds(1), _ => { Fill(inputs, rng, c.AudioVocab); step.Step(sessions, inputs, outputs); });
        JitWarmup.Run(warmup, TimeSpan.FromSeconds(1), _ => { Fill(input, rng, c.AudioVocab); alone.Step(input, output); });

        var ticks = new long[steps];
        var ticksOne = new long[steps];
        long alloc = 0, workers0 = model.WorkerAllocatedBytes;
        TimeSpan cpu = TimeSpan.Zero, cpuOne = TimeSpan.Zero;
        int block = Math.Max(1, steps / 10);
        for (int done = 0; done < steps; done += block)
        {
            int count = Math.Min(block, steps - done);
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            long alloc0 = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < count; i++)
            {
                Fill(inputs, rng, c.AudioVocab);
                long t0 = Stopwatch.GetTimestamp();
                step.Step(sessions, inputs, outputs);
                ticks[done + i] = Stopwatch.GetTimestamp() - t0;
            }
            alloc += GC.GetAllocatedBytesForCurrentThread() - alloc0;
            var cpu1 = Process.GetCurrentProcess().TotalProcessorTime;
            alloc0 = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < count; i++)
            {
                Fill(input, rng, c.AudioVocab);
                long t0 = Stopwatch.GetTimestamp();
                alone.Step(input, output);
                ticksOne[done + i] = Stopwatch.GetTimestamp() - t0;
            }
            alloc += GC.GetAllocatedBytesForCurrentThread() - alloc0;
            cpu += cpu1 - cpu0;
            cpuOne += Process.GetCurrentProcess().TotalProcessorTime - cpu1;
        }
        alloc += model.WorkerAllocatedBytes - workers0;
        foreach (var session in sessions) session.Dispose();
        alone.Dispose();

        double batchSteps = steps / (ticks.Sum() / (double)Stopwatch.Frequency);
        double tps = batch * batchSteps, tpsOne = steps / (ticksOne.Sum() / (double)Stopwatch.Frequency);
        Array.Sort(ticks);
        Array.Sort(ticksOne);
        double us = ticks[steps / 2] * 1e6 / Stopwatch.Frequency, usOne = ticksOne[steps / 2] * 1e6 / Stopwatch.Frequency;
        long w = model.StepWeightBytes, s = model.State.Bytes;
        long bytes = w + 2L * batch * s, bytesOne = w + 2L * s;
        double bound = (double)batch * bytesOne / bytes;
        return new GlaReleaseBatchResult(precision.Name(), n, batch, steps, textTokens,
            us, us / batch, tps, usOne, tpsOne, tps / tpsOne,
            w, s, bytes, bytesOne, bound, 100 * (tps / tpsOne) / bound,
            bytes * batchSteps / 1e9, bytesOne * tpsOne / 1e9, bandwidth / 1e9,
            1000 * cpu.TotalSeconds / steps, 1000 * cpuOne.TotalSeconds / steps, alloc / (2.0 * steps),
            MachineInfo.Current().Summary, GlaReleaseBenchmark.LoadAverage());
    }

    private static void Fill(float[] ids, Random rng, int vocab)
    {
        for (int i = 0; i < ids.Length; i++) ids[i] = rng.Next(3, vocab);
    }
}
