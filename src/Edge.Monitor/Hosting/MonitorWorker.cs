using System.Diagnostics;
using Edge.Maintenance.Laser;
using Edge.Maintenance.Pipeline;
using Edge.Monitor.Checkpoints;
using Edge.Monitor.Config;
using Edge.Monitor.Metrics;
using Edge.Monitor.Outbox;
using Edge.Monitor.Publishing;
using Edge.Monitor.Scheduling;
using Edge.Monitor.Streams;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Edge.Monitor.Hosting;

/// <summary>
/// The daemon as a hosted service: opens the outbox and checkpoints under <see cref="MonitorConfig.StateDir"/>, starts the
/// metrics endpoint on 127.0.0.1, the streams on the scheduler's workers and the publisher; pings the systemd watchdog
/// while every stream is serviced; at shutdown stops the workers, checkpoints each stream and says "offline".
/// </summary>
public sealed class MonitorWorker : BackgroundService
{
    private readonly MonitorConfig _config;
    private readonly Func<MaintenanceModels> _models;
    private readonly ILogger _log;
    private readonly ISystemdNotifier? _systemd;

    /// <summary>Runs <paramref name="config"/>; <paramref name="models"/> loads the pipeline's models when the config names none.</summary>
    public MonitorWorker(MonitorConfig config, Func<MaintenanceModels> models, ILogger<MonitorWorker> log, ISystemdNotifier? systemd = null)
    {
        _config = config;
        _models = models;
        _log = log;
        _systemd = systemd;
    }

    /// <summary>The metrics (for tests and embedding).</summary>
    public MonitorMetrics Metrics { get; } = new();

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var models = _config.Models is { } dir ? MaintenanceModels.LoadFolder(dir) : _models();
        Directory.CreateDirectory(_config.StateDir);
        using var outbox = new AlertOutbox(Path.Combine(_config.StateDir, "outbox"), problem =>
        {
            Metrics.OutboxWriteFailures.Inc();
            _log.LogError("outbox: {Problem}", problem);
        }, _config.Outbox.MemoryAlerts);
        if (outbox.Pending > 0) _log.LogInformation("outbox: {Pending} alerts from the last run wait to be sent", outbox.Pending);
        if (outbox.UnreadableLines > 0) _log.LogWarning("outbox: {Count} lines were not alerts (a batch cut by a crash is raised again from the checkpoints)", outbox.UnreadableLines);
        Metrics.OutboxPending.Set(outbox.Pending);
        var store = new CheckpointStore(Path.Combine(_config.StateDir, "checkpoints"));
        await using var publisher = new AlertPublisher(_config.Device, _config.Broker, outbox, Metrics, _log);
        string? password = AlertPublisher.Password(_config.Broker);
        var interval = TimeSpan.FromSeconds(_config.CheckpointIntervalS);
        var streams = new List<MonitoredStream>();
        MetricServer? server = null;
        var checkpoints = new CheckpointWriter(store, outbox, Metrics, _log);
        try
        {
            foreach (var s in _config.Streams)
            {
                Func<long, ILaserFrames> open = s.Source.Kind == "csv"
                    ? skip => new CsvLaserFrames(s.Source.Path!, skip, s.Source.Loop)
                    : _ => new MqttLaserFrames($"{publisher.ClientId}-{s.Name}", _config.Broker, s.Source.Topics!, password);
                streams.Add(new MonitoredStream(s, _config.Device, models, open, outbox, store, checkpoints, publisher, Metrics, _log, interval, _config.Alerts));
            }
            if (_config.Metrics.Port > 0)
            {
                // Loopback only: the endpoint has no authentication, so it is never exposed beyond the device.
                server = new MetricServer("127.0.0.1", _config.Metrics.Port, "metrics/", Metrics.Registry);
                server.Start();
                _log.LogInformation("metrics: http://127.0.0.1:{Port}/metrics", _config.Metrics.Port);
            }
            Metrics.Registry.AddBeforeCollectCallback(() => Observe(streams, outbox));
            WarmUp(models);
            var scheduler = new StreamScheduler(streams, _config.Workers, Metrics);
            scheduler.Start(interval);
            var publishing = publisher.RunAsync(stoppingToken);
            _log.LogInformation("monitor {Device}: {Count} streams on {Workers} workers, {Stepping}; alerts to {Topic}/alerts/STREAM on {Host}:{Port}",
                _config.Device, streams.Count, scheduler.Workers,
                scheduler.Batched ? $"each worker's due streams stepped together (batched: {scheduler.BatchedModels})" : "streams stepped one after another",
                publisher.DeviceTopic, _config.Broker.Host, _config.Broker.Port);
            _systemd?.Notify(ServiceState.Ready);
            await WatchAsync(streams, stoppingToken).ConfigureAwait(false);
            scheduler.Stop();
            foreach (var s in streams) s.Stop();
            checkpoints.Dispose();
            _log.LogInformation("monitor {Device}: stopped; every stream checkpointed; {Pending} alerts wait in the outbox", _config.Device, outbox.Pending);
            await publishing.ConfigureAwait(false);
        }
        finally
        {
            checkpoints.Dispose();
            foreach (var s in streams) s.Dispose();
            if (server is not null) await server.StopAsync().ConfigureAwait(false);
        }
    }

    // The first steps of a pipeline run its code for the first time (the JIT); scratch pipelines take that cost before
    // the first reading is due, alone and in a batch as the workers step them, so that the streams' first readings are
    // not all late together.
    private static void WarmUp(MaintenanceModels models)
    {
        const int Batch = 16;
        var t0 = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        static LaserReading Synthetic(DateTimeOffset t0, int i, int k) =>
            new(t0.AddMinutes(i), 60 * (1 + 0.002 * i) + k, 300 * (1 - 0.001 * i), 25 + 0.01 * i);
        using (var scratch = new MaintenancePipeline(models))
        {
            for (int i = 0; i < 200; i++) scratch.Step(Synthetic(t0, i, 0));
        }
        var pipelines = Enumerable.Range(0, Batch).Select(_ => new MaintenancePipeline(models)).ToArray();
        try
        {
            using var batch = new MaintenancePipelineBatch(models, Batch);
            var readings = new LaserReading[Batch];
            var results = new MaintenanceStep[Batch];
            var faults = new EdgeException?[Batch];
            for (int i = 0; i < 200; i++)
            {
                for (int k = 0; k < Batch; k++) readings[k] = Synthetic(t0, i, k);
                batch.Step(pipelines, readings, results, faults);
            }
        }
        finally
        {
            foreach (var p in pipelines) p.Dispose();
        }
    }

    private void Observe(List<MonitoredStream> streams, AlertOutbox outbox)
    {
        Metrics.OutboxPending.Set(outbox.Pending);
        Metrics.OutboxInMemory.Set(outbox.InMemory);
        long now = Stopwatch.GetTimestamp();
        double oldest = 0;
        foreach (var g in new[] { "starting", "running", "silent", "finished", "failed" }) Metrics.Streams.WithLabels(g).Set(streams.Count(s => s.State == g));
        foreach (var s in streams) oldest = Math.Max(oldest, Stopwatch.GetElapsedTime(s.LastCheckpoint, now).TotalSeconds);
        Metrics.CheckpointAge.Set(oldest);
    }

    // The systemd watchdog is pinged at half its period while a worker serviced every stream within that period, so a
    // stream stuck in a step (not a slow broker, which never blocks a stream) gets the service restarted.
    private async Task WatchAsync(List<MonitoredStream> streams, CancellationToken stoppingToken)
    {
        TimeSpan? watchdog = long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), out long usec) && usec > 0 ? TimeSpan.FromMicroseconds(usec) : null;
        var tick = watchdog is { } w ? w / 2 : TimeSpan.FromSeconds(1);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(tick, stoppingToken).ConfigureAwait(false);
                if (watchdog is null || _systemd is not { IsEnabled: true }) continue;
                long now = Stopwatch.GetTimestamp();
                var stuck = streams.FirstOrDefault(s => s.State != "failed" && Stopwatch.GetElapsedTime(s.LastBeat, now) > watchdog.Value);
                if (stuck is null) _systemd.Notify(new ServiceState("WATCHDOG=1"));
                else _log.LogError("stream {Stream}: no worker has serviced it for {Seconds:F0} s; the watchdog is not pinged", stuck.Name, Stopwatch.GetElapsedTime(stuck.LastBeat, now).TotalSeconds);
            }
        }
        catch (OperationCanceledException) { }
    }
}
