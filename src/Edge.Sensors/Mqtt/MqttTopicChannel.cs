namespace Edge.Sensors.Mqtt;

/// <summary>One MQTT topic read as one channel.</summary>
/// <param name="Topic">The exact topic the sensor publishes to (no wildcards: each topic is one channel).</param>
/// <param name="Name">The channel's name.</param>
/// <param name="Unit">The unit of the published values.</param>
public sealed record MqttTopicChannel(string Topic, string Name, string Unit = "");
