namespace Edge.Monitor.Config;

/// <summary>The daemon's whole configuration, read from one JSON file (keys in snake_case; see monitor-config.schema.json).</summary>
public sealed class MonitorConfig
{
    /// <summary>This device's name: the middle of every topic and the default MQTT client id.</summary>
    public string Device { get; init; } = "";

    /// <summary>A folder holding laser-predictor, laser-detector and laser-rul; null uses the models the host supplies.</summary>
    public string? Models { get; init; }

    /// <summary>The folder for checkpoints and the alert outbox; created when missing.</summary>
    public string StateDir { get; init; } = "";

    /// <summary>Seconds between checkpoints of every stream (one is also written at shutdown).</summary>
    public double CheckpointIntervalS { get; init; } = 30;

    /// <summary>Threads that step the streams; 0 = one per core (never more than the streams).</summary>
    public int Workers { get; init; }

    /// <summary>The MQTT broker alerts and status go to.</summary>
    public BrokerConfig Broker { get; init; } = new();

    /// <summary>How a stream's repeated alerts are coalesced.</summary>
    public AlertsConfig Alerts { get; init; } = new();

    /// <summary>The alert outbox's memory bound.</summary>
    public OutboxConfig Outbox { get; init; } = new();

    /// <summary>The Prometheus endpoint, always on 127.0.0.1.</summary>
    public MetricsConfig Metrics { get; init; } = new();

    /// <summary>The sensor streams, one pipeline each.</summary>
    public IReadOnlyList<StreamConfig> Streams { get; init; } = [];
}
