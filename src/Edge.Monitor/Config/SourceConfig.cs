namespace Edge.Monitor.Config;

/// <summary>A stream's source: a CSV replay of an aging run, or three MQTT topics.</summary>
public sealed class SourceConfig
{
    /// <summary>"csv" or "mqtt".</summary>
    public string Kind { get; init; } = "";

    /// <summary>csv: the run's file (columns bias_ma, monitor_ua, case_temp_c and time_h or time).</summary>
    public string? Path { get; init; }

    /// <summary>csv: readings per second of wall time; 0 replays as fast as the pipeline runs.</summary>
    public double RateHz { get; init; }

    /// <summary>csv: at the end start the file again, its times shifted on past the last reading, for ever (a soak test's sensor).</summary>
    public bool Loop { get; init; }

    /// <summary>mqtt: the topic of each channel.</summary>
    public MqttTopicsConfig? Topics { get; init; }
}
