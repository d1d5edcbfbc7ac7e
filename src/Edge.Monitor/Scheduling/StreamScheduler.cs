using System.Diagnostics;
using Edge.Monitor.Metrics;
using Edge.Monitor.Streams;
using Prometheus;

namespace Edge.Monitor.Scheduling;

/// <summary>
/// Runs every stream on a small fixed set of worker threads (one per core by default) instead of a thread each: a worker
/// owns a contiguous slice of the streams and, on each pass, steps every stream that is due, then sleeps until the
/// earliest next reading. All streams of a daemon run the same pipeline over the same models, and paced streams of one
/// rate fall due together, so a pass steps their pipelines together in one <see cref="Edge.Maintenance.Pipeline.MaintenancePipelineBatch"/>:
/// one reading of every due stream per batch step (a late stream's catch-up readings in further batch steps of the same
/// pass), each model's weights read once for all of them where its family batches. Where none of the models batches,
/// the worker steps its streams one after another as before. Each worker's busy time is a metric
/// (<c>edge_monitor_worker_busy_seconds_total</c>), and so is the number of streams per batch step (<c>edge_monitor_batch_streams</c>).
/// </summary>
public sealed class StreamScheduler
{
    private readonly IReadOnlyList<MonitoredStream> _streams;
    private readonly Thread[] _threads;
    private volatile bool _stopping;

    /// <summary>Plans <paramref name="workers"/> threads (0 = one per core, never more than the streams) over <paramref name="streams"/>.</summary>
    public StreamScheduler(IReadOnlyList<MonitoredStream> streams, int workers, MonitorMetrics metrics)
    {
        _streams = streams;
        int count = Math.Clamp(workers > 0 ? workers : Environment.ProcessorCount, 1, Math.Max(1, streams.Count));
        _threads = new Thread[count];
        for (int w = 0; w < count; w++)
        {
            // Contiguous slices: neighbours in the config (often one rig's sensors at one rate) share a worker.
            int from = streams.Count * w / count, to = streams.Count * (w + 1) / count;
            var slice = new StreamSlice(streams.Skip(from).Take(to - from).ToArray(), metrics);
            var busy = metrics.WorkerBusy.WithLabels(w.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Batched |= slice.Batched;
            BatchedModels ??= slice.BatchedModels;
            _threads[w] = new Thread(() => Work(slice, busy)) { IsBackground = true, Name = $"edge-monitor worker {w}" };
        }
    }

    /// <summary>The worker threads.</summary>
    public int Workers => _threads.Length;

    /// <summary>True when the workers step their due streams' pipelines together (a <see cref="StreamSlice"/> batch per worker); false when one after another.</summary>
    public bool Batched { get; }

    /// <summary>The models that read their weights once per batch step (e.g. "predictor, RUL model"), or null when not batched.</summary>
    public string? BatchedModels { get; }

    /// <summary>
    /// Opens every stream's source, then starts the workers with every paced stream's first reading due at one moment
    /// after the last source opened (so that opening, not stepping, takes the start-up time) and the checkpoints spread
    /// over <paramref name="checkpointInterval"/> so that they do not all fall in one pass.
    /// </summary>
    public void Start(TimeSpan checkpointInterval)
    {
        long interval = (long)(checkpointInterval.TotalSeconds * Stopwatch.Frequency);
        foreach (var s in _streams) s.Open();
        long start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 20;
        for (int i = 0; i < _streams.Count; i++) _streams[i].Align(start, start + interval * (i + 1) / _streams.Count);
        foreach (var t in _threads) t.Start();
    }

    /// <summary>Stops the workers after their current pass; the streams are then serviced by nobody.</summary>
    public void Stop()
    {
        _stopping = true;
        foreach (var t in _threads)
        {
            if (t.IsAlive) t.Join();
        }
    }

    private void Work(StreamSlice slice, Counter.Child busy)
    {
        try
        {
            while (!_stopping)
            {
                long now = Stopwatch.GetTimestamp();
                long wake = slice.Service(now);
                long end = Stopwatch.GetTimestamp();
                busy.Inc((end - now) / (double)Stopwatch.Frequency);
                if (wake == long.MaxValue)
                {
                    // Every stream of the slice has finished or failed: the thread idles (the daemon runs until it is stopped).
                    Thread.Sleep(50);
                    continue;
                }
                long wait = wake - end;
                // Thread.Sleep's resolution is about a millisecond on Linux: a reading is stepped at most that late, well under
                // a period at 100 readings per second, and the worker spins never.
                if (wait > 0) Thread.Sleep(Math.Clamp((int)(wait * 1000 / Stopwatch.Frequency), 1, 50));
            }
        }
        finally
        {
            slice.Dispose();
        }
    }
}
