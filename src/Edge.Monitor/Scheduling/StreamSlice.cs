using System.Diagnostics;
using Edge.Maintenance.Laser;
using Edge.Maintenance.Pipeline;
using Edge.Monitor.Metrics;
using Edge.Monitor.Streams;

namespace Edge.Monitor.Scheduling;

/// <summary>
/// The streams one scheduler worker owns, serviced a pass at a time (<see cref="Service"/>). When the streams' pipelines
/// run the same models and one of the models batches, a pass steps the due streams' pipelines together in one
/// <see cref="MaintenancePipelineBatch"/>: each batch step takes one reading of every stream that has one due (a late
/// stream's catch-up readings, or an unpaced stream's run of up to 64, in further batch steps of the same pass), so a
/// model's weights are read once per batch step for all of them. Otherwise each stream is serviced alone, one after
/// another. Either way each stream gets the answers, alerts, drops and checkpoints it gets serviced alone.
/// </summary>
public sealed class StreamSlice : IDisposable
{
    private readonly MonitoredStream[] _streams;
    private readonly MonitorMetrics _metrics;
    private readonly MaintenancePipelineBatch? _batch;
    private readonly MonitoredStream[] _due;
    private readonly MaintenancePipeline[] _pipelines;
    private readonly LaserReading[] _readings;
    private readonly MaintenanceStep[] _results;
    private readonly EdgeException?[] _faults;

    /// <summary>A slice over <paramref name="streams"/>, batched when <paramref name="batch"/> is true and the models allow it.</summary>
    public StreamSlice(IReadOnlyList<MonitoredStream> streams, MonitorMetrics metrics, bool batch = true)
    {
        ArgumentNullException.ThrowIfNull(streams);
        _streams = [.. streams];
        _metrics = metrics;
        int n = _streams.Length;
        var models = n > 0 ? _streams[0].Pipeline.Models : null;
        if (batch && n > 1 && _streams.All(s => ReferenceEquals(s.Pipeline.Models, models)))
        {
            _batch = new MaintenancePipelineBatch(models!, n);
            if (!_batch.IsBatched)
            {
                _batch.Dispose();
                _batch = null;
            }
        }
        int capacity = _batch is null ? 0 : n;
        _due = new MonitoredStream[capacity];
        _pipelines = new MaintenancePipeline[capacity];
        _readings = new LaserReading[capacity];
        _results = new MaintenanceStep[capacity];
        _faults = new EdgeException?[capacity];
    }

    /// <summary>The streams, in the order their rows appear in a batch step.</summary>
    public IReadOnlyList<MonitoredStream> Streams => _streams;

    /// <summary>True when a pass steps the due streams' pipelines together; false when one stream after another.</summary>
    public bool Batched => _batch is not null;

    /// <summary>The models that read their weights once per batch step (e.g. "predictor, RUL model"); null when not batched.</summary>
    public string? BatchedModels => _batch?.BatchedModels;

    /// <summary>
    /// One pass at <paramref name="now"/> (Stopwatch ticks): steps every stream that is due and returns when the next one is
    /// (<see cref="long.MaxValue"/> once every stream has finished or failed). Allocates nothing unless an alert, a log
    /// line or a checkpoint is due.
    /// </summary>
    public long Service(long now)
    {
        long wake = long.MaxValue;
        if (_batch is null)
        {
            foreach (var s in _streams)
            {
                long next = s.Service(now);
                if (next < wake) wake = next;
            }
            return wake;
        }
        foreach (var s in _streams) s.BeginPass(now);
        while (true)
        {
            int n = 0;
            foreach (var s in _streams)
            {
                if (!s.TryTake(out _readings[n])) continue;
                _due[n] = s;
                _pipelines[n++] = s.Pipeline;
            }
            if (n == 0) break;
            long t0 = Stopwatch.GetTimestamp();
            Exception? failed = null;
            try
            {
                _batch.Step(_pipelines.AsSpan(0, n), _readings.AsSpan(0, n), _results.AsSpan(0, n), _faults.AsSpan(0, n));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Not one reading's fault (those come back in _faults, one stream each) but the batch's: its streams stop, the others go on.
                failed = e;
            }
            double share = Stopwatch.GetElapsedTime(t0).TotalSeconds / n;
            _metrics.BatchStreams.Observe(n);
            for (int i = 0; i < n; i++) _due[i].Complete(_results[i], share, failed ?? _faults[i]);
            Array.Clear(_due, 0, n);
            Array.Clear(_pipelines, 0, n);
        }
        foreach (var s in _streams)
        {
            if (s.Wake < wake) wake = s.Wake;
        }
        return wake;
    }

    /// <summary>Releases the batch's scratch; the streams stay open.</summary>
    public void Dispose() => _batch?.Dispose();
}
