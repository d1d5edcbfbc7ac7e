using Prometheus;

namespace Edge.Monitor.Metrics;

/// <summary>
/// The daemon's Prometheus metrics, in a registry of their own (with prometheus-net's process and .NET collectors:
/// <c>dotnet_collection_count_total</c> is the GC count per generation). Names are listed in the project's README.
/// </summary>
public sealed class MonitorMetrics
{
    /// <summary>Creates the metrics in a fresh registry.</summary>
    public MonitorMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        var f = Prometheus.Metrics.WithCustomRegistry(Registry);
        StepSeconds = f.CreateHistogram("edge_monitor_step_seconds", "Time of one pipeline step (predictor, detector, RUL), seconds.",
            new HistogramConfiguration { LabelNames = [], Buckets = Histogram.ExponentialBuckets(2e-6, 2, 18) });
        StepDelay = f.CreateHistogram("edge_monitor_step_delay_seconds", "From a paced reading's due time to the end of its step, seconds (more than one period counts as dropped).",
            new HistogramConfiguration { LabelNames = [], Buckets = Histogram.ExponentialBuckets(1e-5, 2, 16) });
        BatchStreams = f.CreateHistogram("edge_monitor_batch_streams", "Streams whose pipelines one batch step advanced together (each model's weights read once for all of them).",
            new HistogramConfiguration { LabelNames = [], Buckets = Histogram.ExponentialBuckets(1, 2, 13) });
        WorkerBusy = f.CreateCounter("edge_monitor_worker_busy_seconds_total", "Wall time each scheduler worker spent servicing its streams, seconds.", "worker");
        Streams = f.CreateGauge("edge_monitor_streams", "Streams by state.", "state");
        Samples = f.CreateCounter("edge_monitor_samples_total", "Readings stepped through a stream's pipeline.", "stream");
        Rejected = f.CreateCounter("edge_monitor_samples_rejected_total", "Readings refused (NaN, out of range, sensor status not Ok, time not after the last).", "stream", "reason");
        Dropped = f.CreateCounter("edge_monitor_samples_dropped_total", "Readings lost before the pipeline (an MQTT queue overflow) or stepped more than one period late (a paced replay).", "stream");
        Gaps = f.CreateCounter("edge_monitor_gaps_total", "Readings later than gap_s after the previous one.", "stream");
        Silences = f.CreateCounter("edge_monitor_sensor_silences_total", "Times a sensor sent nothing for silence_s.", "stream");
        AlertsQueued = f.CreateCounter("edge_monitor_alerts_queued_total", "Alerts written to the outbox.");
        AlertsSent = f.CreateCounter("edge_monitor_alerts_sent_total", "Alerts acknowledged by the broker (QoS 1) and removed from the outbox.");
        AlertsDuplicate = f.CreateCounter("edge_monitor_alerts_duplicate_total", "Alerts raised again after a restart whose id was already queued or acknowledged (not sent again).");
        OutboxPending = f.CreateGauge("edge_monitor_outbox_pending", "Alerts waiting in the outbox for the broker.");
        OutboxInMemory = f.CreateGauge("edge_monitor_outbox_in_memory", "Waiting alerts held in memory for the publisher (at most outbox.memory_alerts; the rest wait on disk only).");
        BrokerConnected = f.CreateGauge("edge_monitor_broker_connected", "1 while connected to the broker.");
        BrokerFailures = f.CreateCounter("edge_monitor_broker_failures_total", "Failed connects and lost connections to the broker.");
        Checkpoints = f.CreateCounter("edge_monitor_checkpoints_total", "Stream checkpoints written.");
        CheckpointFailures = f.CreateCounter("edge_monitor_checkpoint_failures_total", "Stream checkpoints that could not be written.");
        CheckpointsRefused = f.CreateCounter("edge_monitor_checkpoints_refused_total", "Checkpoints refused at start (another model, a broken file); the stream started over.");
        OutboxWriteFailures = f.CreateCounter("edge_monitor_outbox_write_failures_total", "Batches of alerts the outbox could not write (a full or failing disk); they stay queued and are retried.");
        CheckpointAge = f.CreateGauge("edge_monitor_checkpoint_age_seconds", "Seconds since the oldest stream's last checkpoint.");
    }

    /// <summary>The registry the endpoint serves.</summary>
    public CollectorRegistry Registry { get; }

#pragma warning disable CS1591 // each metric's help text above documents it
    public Histogram StepSeconds { get; }
    public Histogram StepDelay { get; }
    public Histogram BatchStreams { get; }
    public Counter WorkerBusy { get; }
    public Gauge Streams { get; }
    public Counter Samples { get; }
    public Counter Rejected { get; }
    public Counter Dropped { get; }
    public Counter Gaps { get; }
    public Counter Silences { get; }
    public Counter AlertsQueued { get; }
    public Counter AlertsSent { get; }
    public Counter AlertsDuplicate { get; }
    public Gauge OutboxPending { get; }
    public Gauge OutboxInMemory { get; }
    public Gauge BrokerConnected { get; }
    public Counter BrokerFailures { get; }
    public Counter Checkpoints { get; }
    public Counter CheckpointFailures { get; }
    public Counter CheckpointsRefused { get; }
    public Gauge CheckpointAge { get; }
    public Counter OutboxWriteFailures { get; }
#pragma warning restore CS1591
}
