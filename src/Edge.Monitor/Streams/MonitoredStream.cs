using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
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
/// One stream on its own thread: polls its source, paces a replay, steps the pipeline, queues alerts in the outbox,
/// checkpoints itself on the interval, and reports rejected readings, gaps and a silent sensor as a log line and a
/// metric. A fault in one stream stops only that stream.
/// </summary>
public sealed class MonitoredStream : IDisposable
{
    private readonly StreamConfig _config;
    private readonly string _device;
    private readonly MaintenancePipeline _pipeline;
    private readonly Func<long, ILaserFrames> _open;
    private readonly AlertOutbox _outbox;
    private readonly CheckpointStore _checkpoints;
    private readonly AlertPublisher _publisher;
    private readonly MonitorMetrics _metrics;
    private readonly ILogger _log;
    private readonly TimeSpan _checkpointInterval;
    private readonly Counter.Child _samples, _dropped, _gaps, _silences;
    private readonly Counter.Child[] _rejected;
    private long _position;
    private long _lastCheckpointTicks;
    private long _beatTicks;
    private string _state = "starting";
    private Thread? _thread;
    private volatile bool _stopping;

    /// <summary>Builds the stream and restores its checkpoint (one from another model is refused with a log line and the stream starts over).</summary>
    public MonitoredStream(StreamConfig config, string device, MaintenanceModels models, Func<long, ILaserFrames> open, AlertOutbox outbox,
        CheckpointStore checkpoints, AlertPublisher publisher, MonitorMetrics metrics, ILogger log, TimeSpan checkpointInterval)
    {
        _config = config;
        _device = device;
        _open = open;
        _outbox = outbox;
        _checkpoints = checkpoints;
        _publisher = publisher;
        _metrics = metrics;
        _log = log;
        _checkpointInterval = checkpointInterval;
        _pipeline = new MaintenancePipeline(models);
        _samples = metrics.Samples.WithLabels(config.Name);
        _dropped = metrics.Dropped.WithLabels(config.Name);
        _gaps = metrics.Gaps.WithLabels(config.Name);
        _silences = metrics.Silences.WithLabels(config.Name);
        _rejected = Enum.GetValues<MaintenanceRejection>().Select(r => metrics.Rejected.WithLabels(config.Name, r.ToString())).ToArray();
        try
        {
            if (_checkpoints.Restore(config.Name, _pipeline) is { } p)
            {
                _position = p;
                _log.LogInformation("stream {Stream}: resumed from its checkpoint at reading {Position} ({Alerts} alerts so far)", config.Name, p, _pipeline.Alerts);
            }
        }
        catch (EdgeException e)
        {
            _metrics.CheckpointsRefused.Inc();
            _log.LogWarning("stream {Stream}: checkpoint refused, starting over from the first reading: {Problem}", config.Name, e.Message);
            _checkpoints.SetAside(config.Name);
            _pipeline.Reset();
            _position = 0;
        }
        _lastCheckpointTicks = Stopwatch.GetTimestamp();
        _beatTicks = _lastCheckpointTicks;
    }

    /// <summary>The stream's name.</summary>
    public string Name => _config.Name;

    /// <summary>Readings consumed from the source (the next reading's position).</summary>
    public long Position => Interlocked.Read(ref _position);

    /// <summary>"starting", "running", "silent", "finished" or "failed".</summary>
    public string State => Volatile.Read(ref _state);

    /// <summary>When the stream's loop last went round (Stopwatch ticks): the watchdog's proof of life.</summary>
    public long LastBeat => Interlocked.Read(ref _beatTicks);

    /// <summary>When the last checkpoint was written (Stopwatch ticks).</summary>
    public long LastCheckpoint => Interlocked.Read(ref _lastCheckpointTicks);

    /// <summary>Starts the stream's thread.</summary>
    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "edge-monitor " + _config.Name };
        _thread.Start();
    }

    /// <summary>Stops the thread and writes a last checkpoint.</summary>
    public void Stop()
    {
        _stopping = true;
        _thread?.Join();
        if (State != "failed") Checkpoint();
    }

    private void Run()
    {
        ILaserFrames? frames = null;
        try
        {
            frames = _open(_position);
            SetState("running", null);
            double period = _config.Source.RateHz > 0 ? 1.0 / _config.Source.RateHz : 0;
            long periodTicks = (long)(period * Stopwatch.Frequency);
            long next = Stopwatch.GetTimestamp();
            long lastData = next;
            bool silent = false;
            long lastDropped = 0;
            DateTimeOffset? lastTime = null;
            int loggedRejections = 0;
            while (!_stopping)
            {
                long now = Stopwatch.GetTimestamp();
                Interlocked.Exchange(ref _beatTicks, now);
                if (Stopwatch.GetElapsedTime(LastCheckpoint, now) >= _checkpointInterval) Checkpoint();
                if (periodTicks > 0)
                {
                    long wait = next - now;
                    if (wait > 0)
                    {
                        Thread.Sleep(TimeSpan.FromTicks(Math.Max(1, wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
                        continue;
                    }
                    // A whole period late: that slot's reading was not on time (it is still stepped; a replay drops no data).
                    if (-wait > periodTicks) _dropped.Inc();
                    next += periodTicks;
                    if (next < now - 16 * periodTicks) next = now;   // after a long stall, do not burst to catch up
                }
                var read = frames.TryRead(out var reading);
                if (frames.Dropped != lastDropped)
                {
                    _dropped.Inc(frames.Dropped - lastDropped);
                    _log.LogWarning("stream {Stream}: the source dropped {Count} readings (its queue was full)", _config.Name, frames.Dropped - lastDropped);
                    lastDropped = frames.Dropped;
                }
                if (read == FrameRead.End)
                {
                    _log.LogInformation("stream {Stream}: the source ended after {Position} readings", _config.Name, _position);
                    SetState("finished", null);
                    Checkpoint();
                    while (!_stopping) { Interlocked.Exchange(ref _beatTicks, Stopwatch.GetTimestamp()); Thread.Sleep(50); }
                    break;
                }
                if (read == FrameRead.None)
                {
                    if (!silent && _config.SilenceS > 0 && Stopwatch.GetElapsedTime(lastData).TotalSeconds >= _config.SilenceS)
                    {
                        silent = true;
                        _silences.Inc();
                        _log.LogWarning("stream {Stream}: no reading for {Seconds} s; the sensor is gone ({Problem})", _config.Name, _config.SilenceS, frames.LastProblem ?? "no problem reported");
                        SetState("silent", frames.LastProblem);
                    }
                    Thread.Sleep(5);
                    continue;
                }
                lastData = Stopwatch.GetTimestamp();
                if (silent)
                {
                    silent = false;
                    _log.LogInformation("stream {Stream}: the sensor is back", _config.Name);
                    SetState("running", null);
                }
                if (_config.GapS > 0 && lastTime is { } lt && (reading.Time - lt).TotalSeconds > _config.GapS)
                {
                    _gaps.Inc();
                    _log.LogWarning("stream {Stream}: a gap of {Seconds:F0} s in the readings before reading {Position}", _config.Name, (reading.Time - lt).TotalSeconds, _position);
                }
                long t0 = Stopwatch.GetTimestamp();
                var step = _pipeline.Step(reading);
                _metrics.StepSeconds.Observe(Stopwatch.GetElapsedTime(t0).TotalSeconds);
                long position = _position;
                if (step.Kind == MaintenanceStepKind.Rejected)
                {
                    _rejected[(int)step.Rejection].Inc();
                    // Every rejection is counted; the log says the first ones and then one in a thousand, so a dead sensor cannot flood it.
                    if (loggedRejections < 20 || _rejected[(int)step.Rejection].Value % 1000 == 0)
                    {
                        loggedRejections++;
                        _log.LogWarning("stream {Stream}: reading {Position} rejected: {Problem}", _config.Name, position, frames.LastProblem is { } p && reading.Status != Sensors.SensorStatus.Ok ? p : step.Problem);
                    }
                }
                else
                {
                    lastTime = reading.Time;
                    _samples.Inc();
                    if (step.IsAlert || step.IsEndOfLife) Raise(step, position);
                }
                Interlocked.Exchange(ref _position, position + 1);
            }
        }
        catch (Exception e)
        {
            _log.LogError("stream {Stream}: stopped by a fault at reading {Position}: {Problem}; the other streams go on", _config.Name, _position, e.Message);
            SetState("failed", e.Message);
        }
        finally
        {
            frames?.Dispose();
        }
    }

    private void Raise(in MaintenanceStep step, long position)
    {
        var alert = new Alert
        {
            Id = $"{_device}/{_config.Name}/{position.ToString(CultureInfo.InvariantCulture)}",
            Device = _device,
            Stream = _config.Name,
            Kind = step.IsEndOfLife ? "end_of_life" : step.IsFirstDetection ? "anomaly" : "alert",
            Position = position,
            Time = step.Reading.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            Score = step.Score,
            Threshold = step.Threshold,
            RulH = step.RulHours,
        };
        if (_outbox.Enqueue(alert)) _metrics.AlertsQueued.Inc();
        else _metrics.AlertsDuplicate.Inc();
        _metrics.OutboxPending.Set(_outbox.Pending);
    }

    private void Checkpoint()
    {
        try
        {
            _checkpoints.Save(_config.Name, _pipeline, Interlocked.Read(ref _position));
            Interlocked.Exchange(ref _lastCheckpointTicks, Stopwatch.GetTimestamp());
            _metrics.Checkpoints.Inc();
        }
        catch (EdgeException e)
        {
            _metrics.CheckpointFailures.Inc();
            _log.LogError("stream {Stream}: checkpoint not written: {Problem}", _config.Name, e.Message);
        }
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
