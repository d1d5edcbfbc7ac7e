namespace Edge.Sensors.Mqtt;

/// <summary>Which broker to subscribe at, which topics are channels, and how much to queue.</summary>
public sealed record MqttSourceOptions
{
    /// <summary>The broker's host name or address.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The broker's TCP port.</summary>
    public int Port { get; init; } = 1883;

    /// <summary>The topics to subscribe to, in channel order; at least one.</summary>
    public IReadOnlyList<MqttTopicChannel> Channels { get; init; } = [];

    /// <summary>The client id; a fresh one per connection when null.</summary>
    public string? ClientId { get; init; }

    /// <summary>User name for brokers that require one; anonymous when null.</summary>
    public string? UserName { get; init; }

    /// <summary>Password that goes with <see cref="UserName"/>.</summary>
    public string? Password { get; init; }

    /// <summary>Samples held until read; when full the oldest is dropped and counted.</summary>
    public int QueueCapacity { get; init; } = 1024;

    /// <summary>The longest payload accepted; longer ones are InvalidData without being parsed (payloads are untrusted input).</summary>
    public int MaxPayloadBytes { get; init; } = 256;

    /// <summary>How long to wait for the broker to accept a connection.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The pause between attempts to reconnect after the broker went away.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The clock that stamps samples whose payload carries no time; the system clock by default.</summary>
    public TimeProvider? Clock { get; init; }
}
