namespace Edge.Monitor.Config;

/// <summary>The three MQTT topics of a laser's readings (payloads as Edge.Sensors' MqttPayload reads them).</summary>
public sealed class MqttTopicsConfig
{
    /// <summary>The bias current's topic.</summary>
    public string Bias { get; init; } = "";

    /// <summary>The monitor photodiode current's topic.</summary>
    public string Monitor { get; init; } = "";

    /// <summary>The case temperature's topic (°C).</summary>
    public string CaseTemp { get; init; } = "";
}
