using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Edge.Maintenance.Laser;
using Edge.Maintenance.Pipeline;
using Edge.Monitor.Checkpoints;
using Edge.Monitor.Config;
using Edge.Monitor.Metrics;
using Edge.Monitor.Outbox;
using Edge.Monitor.Publishing;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Edge.Monitor.Streams;

/// <summary>
/// One stream, stepped by a scheduler's worker through <see cref="Service"/> (or, with its pipeline stepped in a batch
/// with other streams', through <see cref="BeginPass"/>, <see cref="TryTake"/> and <see cref="Complete"/>): polls its source, paces a replay, steps
/// the pipeline, queues alerts in the outbox, hands a checkpoint to the writer on the interval, and reports rejected
/// readings, gaps and a silent sensor as a log line and a metric. A fault in one stream stops only that stream.
/// Stepping allocates nothing (an alert, a log line and a checkpoint do).
/// </summary>
public sealed class MonitoredStream : IDisposable
{
    // Unpaced sources (a replay at rate 0, MQTT) are read in runs of this many readings, so one stream cannot hold its worker.
    private const int Run = 64;
    private static readonly long PollTicks = Stopwatch.Frequency / 500;   // 2 ms between polls of a source with nothing new
    private readonly StreamConfig _config;
    private readonly string _device;
    private readonly MaintenancePipeline _pipeline;
    private readonly Func<long, ILaserFrames> _open;
    private readonly AlertOutbox _outbox;
    private readonly CheckpointWriter _checkpoints;
    private readonly AlertPublisher _publisher;
    private readonly MonitorMetrics _metrics;
    private readonly ILogger _log;
    private readonly long _checkpointTicks, _periodTicks, _silenceTicks;
    private readonly Counter.Child _samples, _dropped, _gaps, _silences;
    private readonly Counter.Child[] _rejected;
    private readonly Action<long> _checkpointWritten;
    private readonly AlertCoalescer _coalescer;
    private ILaserFrames? _frames;
    private long _position;
    private long _lastCheckpointTicks, _checkpointQueuedTicks;
    private long _beatTicks;
    private long _next, _lastData, _lastDropped, _lastTimeTicks;
    private bool _silent, _hasLastTime;
    private long _passNow, _wake, _due;   // the pass under way: when it began, when the stream next needs its worker, the reading's due time
    private int _passLeft;                // readings the pass may still take
    private bool _passOpen;
    private int _loggedRejections;
    private string _state = "starting";

    /// <summary>Builds the stream and restores its checkpoint (one from another model is refused with a log line and the stream starts over).</summary>
    public MonitoredStream(StreamConfig config, string device, MaintenanceModels models, Func<long, ILaserFrames> open, AlertOutbox outbox,
        CheckpointStore store, CheckpointWriter checkpoints, AlertPublisher publisher, MonitorMetrics metrics, ILogger log, TimeSpan checkpointInterval,
        AlertsConfig? alerts = null)
    {
        alerts ??= new AlertsConfig();
        _coalescer = new AlertCoalescer(alerts.RepeatEvery, alerts.ClearAfter);
        _config = config;
        _device = device;
        _open = open;
        _outbox = outbox;
        _checkpoints = checkpoints;
        _publisher = publisher;
        _metrics = metrics;
        _log = log;
        _checkpointTicks = (long)(checkpointInterval.TotalSeconds * Stopwatch.Frequency);
        _periodTicks = config.Source.RateHz > 0 ? (long)(Stopwatch.Frequency / config.Source.RateHz) : 0;
        _silenceTicks = (long)(config.SilenceS * Stopwatch.Frequency);
        _pipeline = new MaintenancePipeline(models);
        _samples = metrics.Samples.WithLabels(config.Name);
        _dropped = metrics.Dropped.WithLabels(config.Name);
        _gaps = metrics.Gaps.WithLabels(config.Name);
        _silences = metrics.Silences.WithLabels(config.Name);
        _rejected = Enum.GetValues<MaintenanceRejection>().Select(r => metrics.Rejected.WithLabels(config.Name, r.ToString())).ToArray();
        _checkpointWritten = ticks => Interlocked.Exchange(ref _lastCheckpointTicks, ticks);
        try
        {
            if (store.Restore(config.Name, _pipeline, out var alarm) is { } p)
            {
                _position = p;
                _coalescer.State = alarm;
                _log.LogInformation("stream {Stream}: resumed from its checkpoint at reading {Position} ({Alerts} alerts so far)", config.Name, p, _pipeline.Alerts);
            }
        }
        catch (EdgeException e)
        {
            _metrics.CheckpointsRefused.Inc();
            _log.LogWarning("stream {Stream}: checkpoint refused, starting over from the first reading: {Problem}", config.Name, e.Message);
            store.SetAside(config.Name);
            _pipeline.Reset();
            _coalescer.State = AlarmState.Clear;
            _position = 0;
        }
        _lastCheckpointTicks = _checkpointQueuedTicks = _beatTicks = Stopwatch.GetTimestamp();
    }

    /// <summary>The stream's name.</summary>
    public string Name => _config.Name;

    /// <summary>Readings consumed from the source (the next reading's position).</summary>
    public long Position => Interlocked.Read(ref _position);

    /// <summary>"starting", "running", "silent", "finished" or "failed".</summary>
    public string State => Volatile.Read(ref _state);

    /// <summary>When a worker last serviced the stream (Stopwatch ticks): the watchdog's proof of life.</summary>
    public long LastBeat => Interlocked.Read(ref _beatTicks);

    /// <summary>When the last checkpoint reached the disk (Stopwatch ticks).</summary>
    public long LastCheckpoint => Interlocked.Read(ref _lastCheckpointTicks);

    /// <summary>Opens the source at the checkpoint's position; a source that cannot open fails this stream only.</summary>
    public void Open()
    {
        try
        {
            _frames = _open(_position);
            SetState("running", null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Fault(e);
        }
    }

    /// <summary>
    /// Sets when a paced replay's first reading is due (<paramref name="start"/>) and when the first checkpoint is
    /// (<paramref name="firstCheckpoint"/>; the scheduler spreads them over the interval), both Stopwatch ticks.
    /// </summary>
    public void Align(long start, long firstCheckpoint)
    {
        _next = _lastData = start;
        _checkpointQueuedTicks = firstCheckpoint - _checkpointTicks;
    }

    /// <summary>
    /// Steps what is due at <paramref name="now"/> (Stopwatch ticks) and returns when the stream next needs its worker;
    /// <see cref="long.MaxValue"/> once it has finished or failed. Allocates nothing unless an alert, a log line or a checkpoint is due.
    /// The same as <see cref="BeginPass"/>, then <see cref="TryTake"/> and <see cref="Complete"/> for each reading
    /// with the pipeline stepped alone, then <see cref="Wake"/>.
    /// </summary>
    public long Service(long now)
    {
        if (!BeginPass(now)) return _wake;
        while (TryTake(out var reading))
        {
            long t0 = Stopwatch.GetTimestamp();
            MaintenanceStep step;
            try
            {
                step = _pipeline.Step(reading);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Complete(default, 0, e);
                break;
            }
            Complete(step, Stopwatch.GetElapsedTime(t0).TotalSeconds, null);
        }
        return _wake;
    }

    /// <summary>The pipeline the stream steps, for a worker that steps many streams' pipelines together.</summary>
    internal MaintenancePipeline Pipeline => _pipeline;

    /// <summary>After a pass (<see cref="BeginPass"/> and <see cref="TryTake"/> until false): when the stream next needs its worker, Stopwatch ticks; <see cref="long.MaxValue"/> once finished or failed.</summary>
    internal long Wake => _wake;

    /// <summary>
    /// Starts a pass at <paramref name="now"/>: the proof of life, a checkpoint if one is due, and whether a reading may be
    /// due (false: nothing this pass, <see cref="Wake"/> says when). Then <see cref="TryTake"/> hands out the due
    /// readings one at a time, each answered with <see cref="Complete"/> before the next is taken: at most 4 of a paced
    /// stream (a late worker catches up), at most 64 of an unpaced one (one stream cannot hold its worker).
    /// </summary>
    internal bool BeginPass(long now)
    {
        _beatTicks = now;
        _passOpen = false;
        _wake = long.MaxValue;
        if (_frames is null) return false;
        try
        {
            if (now - _checkpointQueuedTicks >= _checkpointTicks) QueueCheckpoint(now);
            _passNow = now;
            if (_periodTicks == 0)
            {
                _passLeft = Run;
                _wake = now;
                return _passOpen = true;
            }
            _wake = _next;
            if (now < _next) return false;
            // A reading is due every period; more than one period late it counts as dropped (a real sensor's sample would
            // have been lost) though a replay still steps it. After a long stall the slots missed are counted and skipped.
            long behind = (now - _next) / _periodTicks;
            if (behind > 16)
            {
                _dropped.Inc(behind);
                _next += behind * _periodTicks;
            }
            _passLeft = 4;
            return _passOpen = true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Fault(e);
            return false;
        }
    }

    /// <summary>The next reading of this pass to step, read from the source; false when the pass is over for this stream.</summary>
    internal bool TryTake(out LaserReading reading)
    {
        reading = default;
        if (!_passOpen) return false;
        long now = _passNow;
        try
        {
            if (_periodTicks == 0)
            {
                if (_passLeft-- == 0)
                {
                    _wake = now;
                    return _passOpen = false;
                }
                var read = Read(now, out reading);
                if (read == FrameRead.Frame) return true;
                if (read == FrameRead.End) Finish();
                else _wake = now + PollTicks;
                return _passOpen = false;
            }
            if (_passLeft-- == 0 || now < _next)
            {
                _wake = _next;
                return _passOpen = false;
            }
            if (now - _next > _periodTicks) _dropped.Inc();
            _due = _next;
            _next += _periodTicks;
            var paced = Read(now, out reading);
            if (paced == FrameRead.Frame) return true;
            if (paced == FrameRead.End)
            {
                Finish();
                return _passOpen = false;
            }
            _metrics.StepDelay.Observe(Stopwatch.GetElapsedTime(_due).TotalSeconds);
            _wake = _next;
            return _passOpen = false;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Fault(e);
            return false;
        }
    }

    /// <summary>
    /// The pipeline's answer to the reading <see cref="TryTake"/> gave, which took <paramref name="seconds"/> to step (a
    /// batch's share); <paramref name="fault"/>, when the pipeline threw instead, stops this stream only.
    /// </summary>
    internal void Complete(in MaintenanceStep step, double seconds, Exception? fault)
    {
        if (fault is not null)
        {
            Fault(fault);
            return;
        }
        try
        {
            _metrics.StepSeconds.Observe(seconds);
            Answer(step);
            if (_periodTicks > 0) _metrics.StepDelay.Observe(Stopwatch.GetElapsedTime(_due).TotalSeconds);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Fault(e);
        }
    }

    private FrameRead Read(long now, out LaserReading reading)
    {
        var frames = _frames!;
        var read = frames.TryRead(out reading);
        if (frames.Dropped != _lastDropped)
        {
            _dropped.Inc(frames.Dropped - _lastDropped);
            _log.LogWarning("stream {Stream}: the source dropped {Count} readings (its queue was full)", _config.Name, frames.Dropped - _lastDropped);
            _lastDropped = frames.Dropped;
        }
        if (read == FrameRead.End)
        {
            _log.LogInformation("stream {Stream}: the source ended after {Position} readings", _config.Name, _position);
            return read;
        }
        if (read == FrameRead.None)
        {
            if (!_silent && _silenceTicks > 0 && now - _lastData >= _silenceTicks)
            {
                _silent = true;
                _silences.Inc();
                _log.LogWarning("stream {Stream}: no reading for {Seconds} s; the sensor is gone ({Problem})", _config.Name, _config.SilenceS, frames.LastProblem ?? "no problem reported");
                SetState("silent", frames.LastProblem);
            }
            return read;
        }
        _lastData = now;
        if (_silent)
        {
            _silent = false;
            _log.LogInformation("stream {Stream}: the sensor is back", _config.Name);
            SetState("running", null);
        }
        long ticks = reading.Time.UtcTicks;
        if (_config.GapS > 0 && _hasLastTime && ticks - _lastTimeTicks > (long)(_config.GapS * TimeSpan.TicksPerSecond))
        {
            _gaps.Inc();
            _log.LogWarning("stream {Stream}: a gap of {Seconds:F0} s in the readings before reading {Position}", _config.Name, (ticks - _lastTimeTicks) / (double)TimeSpan.TicksPerSecond, _position);
        }
        return read;
    }

    private void Answer(in MaintenanceStep step)
    {
        var reading = step.Reading;
        long position = _position;
        if (step.Kind == MaintenanceStepKind.Rejected)
        {
            var counter = _rejected[(int)step.Rejection];
            counter.Inc();
            // Every rejection is counted; the log says the first ones and then one in a thousand, so a dead sensor cannot flood it.
            if (_loggedRejections < 20 || counter.Value % 1000 == 0)
            {
                _loggedRejections++;
                _log.LogWarning("stream {Stream}: reading {Position} rejected: {Problem}", _config.Name, position, _frames!.LastProblem is { } p && reading.Status != Sensors.SensorStatus.Ok ? p : step.Problem);
            }
        }
        else
        {
            _lastTimeTicks = reading.Time.UtcTicks;
            _hasLastTime = true;
            _samples.Inc();
            if (_coalescer.Next(step, position, out long since) is { } kind) Raise(step, position, kind, since);
        }
        Interlocked.Exchange(ref _position, position + 1);
    }

    private void Finish()
    {
        _passOpen = false;
        _wake = long.MaxValue;
        SetState("finished", null);
        QueueCheckpoint(Stopwatch.GetTimestamp());
        _frames!.Dispose();
        _frames = null;
    }

    private void Fault(Exception e)
    {
        _passOpen = false;
        _wake = long.MaxValue;
        _log.LogError("stream {Stream}: stopped by a fault at reading {Position}: {Problem}; the other streams go on", _config.Name, _position, e.Message);
        SetState("failed", e.Message);
        _frames?.Dispose();
        _frames = null;
    }

    private void Raise(in MaintenanceStep step, long position, string kind, long since)
    {
        var alert = new Alert
        {
            Id = $"{_device}/{_config.Name}/{position.ToString(CultureInfo.InvariantCulture)}",
            Device = _device,
            Stream = _config.Name,
            Kind = kind,
            Position = position,
            Time = step.Reading.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            Score = step.Score,
            Threshold = step.Threshold,
            RulH = step.RulHours,
            Since = since >= 0 ? since : null,
        };
        if (_outbox.Enqueue(alert)) _metrics.AlertsQueued.Inc();
        else _metrics.AlertsDuplicate.Inc();
    }

    // The state is copied here (microseconds); the writer thread does the fsyncs after the alerts raised so far are on disk.
    private void QueueCheckpoint(long now)
    {
        _checkpointQueuedTicks = now;
        _checkpoints.Submit(_config.Name, _pipeline.SaveStateBytes(), Interlocked.Read(ref _position), _coalescer.State, _outbox.LastSequence, _checkpointWritten);
    }

    /// <summary>Hands a last checkpoint to the writer (at shutdown, once no worker services the stream); none after a fault.</summary>
    public void Stop()
    {
        if (State is "running" or "silent") QueueCheckpoint(Stopwatch.GetTimestamp());
        _frames?.Dispose();
        _frames = null;
    }

    private void SetState(string state, string? problem)
    {
        Volatile.Write(ref _state, state);
        var status = new { stream = _config.Name, state, position = Position, samples = _pipeline.Samples, rejected = _pipeline.Rejected, alerts = _pipeline.Alerts, problem };
        _publisher.SetStatus(_config.Name, JsonSerializer.SerializeToUtf8Bytes(status));
    }

    /// <summary>Releases the pipeline's model streams.</summary>
    public void Dispose() => _pipeline.Dispose();
}
