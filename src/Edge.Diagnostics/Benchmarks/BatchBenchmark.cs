using System.Diagnostics;
using System.Runtime.CompilerServices;
using Edge.Backends;
using Edge.Streams;

namespace Edge.Diagnostics;

/// <summary>
/// Times a <see cref="StreamBatch"/> of B streams against one stream stepped alone, in one run: ten alternating
/// blocks of each, so both see the same interference from other work. Reports the batch step, its cost per
/// stream, and the ratio to the lone stream.
/// </summary>
public static class BatchBenchmark
{
    private const int Blocks = 10;

    /// <summary>Runs <paramref name="steps"/> measured batch steps of <paramref name="batch"/> streams, and as many lone steps, after a warm-up of both.</summary>
    public static BatchBenchmarkResult Run(EdgeModel model, int batch, long steps, int warmup = 2000, Action<double>? progress = null)
    {
        Fail.If(steps < Blocks, EdgeErrorCode.InvalidArgument, $"a batch benchmark needs at least {Blocks} steps.");
        Fail.If(batch < 1 || batch > StreamBatch.MaxCapacity, EdgeErrorCode.InvalidArgument, $"the batch size goes from 1 to {StreamBatch.MaxCapacity}.");
        var members = new ModelStream[batch];
        using var group = new StreamBatch(model, batch);
        for (int k = 0; k < batch; k++)
        {
            members[k] = model.CreateStream();
            StepBenchmark.Prepare(members[k]);
            group.Add(members[k]);
        }
        using var alone = model.CreateStream();
        StepBenchmark.Prepare(alone);
        try
        {
            // Each stream its own row of the input set, shifted by its index, cycled through.
            var rows = StepBenchmark.MakeInputs(model);
            int n = model.InputSize, count = rows.Length / Math.Max(1, n);
            var inputs = new float[(count + batch) * n];
            for (int r = 0; r < count + batch; r++) rows.AsSpan(r % count * n, n).CopyTo(inputs.AsSpan(r * n));
            var outputs = new float[batch * model.OutputSize];
            var output = new float[model.OutputSize];
            JitWarmup.Run(Math.Max(1, warmup / batch), TimeSpan.FromSeconds(0.5), i => group.Step(inputs.AsSpan(i % count * n, batch * n), outputs));
            JitWarmup.Run(warmup, TimeSpan.FromSeconds(0.5), i => alone.Step(inputs.AsSpan(i % count * n, n), output));

            int samples = (int)Math.Min(steps, 1_000_000);
            var batchTicks = new long[samples];
            var aloneTicks = new long[samples];
            Array.Fill(batchTicks, 1L);
            Array.Fill(aloneTicks, 1L);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            long rssBefore = ResidentMemory.Bytes();
            var workers = model.StepModel as IThreadReport;
            long batchAlloc = 0, batchElapsed = 0, aloneElapsed = 0;
            long perBlock = steps / Blocks;
            for (int block = 0; block < Blocks; block++)
            {
                long from = block * perBlock, to = block == Blocks - 1 ? steps : from + perBlock;
                long allocBefore = GC.GetAllocatedBytesForCurrentThread() + (workers?.WorkerAllocatedBytes ?? 0);
                batchElapsed += MeasureBatch(group, inputs, count, n, outputs, batchTicks, from, to);
                batchAlloc += GC.GetAllocatedBytesForCurrentThread() + (workers?.WorkerAllocatedBytes ?? 0) - allocBefore;
                aloneElapsed += MeasureAlone(alone, inputs, count, n, output, aloneTicks, from, to);
                progress?.Invoke((double)to / steps);
            }
            long rssAfter = ResidentMemory.Bytes();

            Array.Sort(batchTicks);
            Array.Sort(aloneTicks);
            double usPerTick = 1e6 / Stopwatch.Frequency;
            double batchP50 = batchTicks[samples / 2] * usPerTick, aloneP50 = aloneTicks[samples / 2] * usPerTick;
            double streamSteps = batch * steps / (batchElapsed / (double)Stopwatch.Frequency);
            double aloneSteps = steps / (aloneElapsed / (double)Stopwatch.Frequency);
            return new BatchBenchmarkResult(
                Batch: batch,
                Batched: group.IsBatched,
                Steps: steps,
                UsPerStepP50: batchP50,
                UsPerStepP99: batchTicks[Math.Min(samples - 1, (int)(samples * 0.99))] * usPerTick,
                UsPerStreamStepP50: batchP50 / batch,
                StreamStepsPerSecond: streamSteps,
                Batch1UsPerStepP50: aloneP50,
                Batch1StepsPerSecond: aloneSteps,
                PerStreamCostVsBatch1: batchP50 / batch / aloneP50,
                BatchSpeedup: streamSteps / aloneSteps,
                AllocBytesPerStep: batchAlloc / (double)steps,
                RssGrowthBytes: rssAfter - rssBefore,
                StateBytes: model.State.Bytes,
                Backend: model.BackendName,
                Machine: MachineInfo.Current().Summary,
                Threads: model.Threads,
                StreamsPerBatchedStep: group.StepWidth);
        }
        finally
        {
            foreach (var s in members) s?.Dispose();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long MeasureBatch(StreamBatch group, float[] inputs, int count, int n, float[] outputs, long[] ticks, long from, long to)
    {
        int batch = group.Count;
        long started = Stopwatch.GetTimestamp();
        for (long s = from; s < to; s++)
        {
            long t0 = Stopwatch.GetTimestamp();
            group.Step(inputs.AsSpan((int)(s % count) * n, batch * n), outputs);
            ticks[s % ticks.Length] = Stopwatch.GetTimestamp() - t0;
        }
        return Stopwatch.GetTimestamp() - started;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long MeasureAlone(ModelStream stream, float[] inputs, int count, int n, float[] output, long[] ticks, long from, long to)
    {
        long started = Stopwatch.GetTimestamp();
        for (long s = from; s < to; s++)
        {
            long t0 = Stopwatch.GetTimestamp();
            stream.Step(inputs.AsSpan((int)(s % count) * n, n), output);
            ticks[s % ticks.Length] = Stopwatch.GetTimestamp() - t0;
        }
        return Stopwatch.GetTimestamp() - started;
    }
}
