namespace Edge.Monitor.Config;

/// <summary>The MQTT broker: where alerts (QoS 1), per-stream status (retained) and the last will go.</summary>
public sealed class BrokerConfig
{
    /// <summary>The broker's host name or address.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The broker's TCP port (1883 plain, 8883 usually with TLS).</summary>
    public int Port { get; init; } = 1883;

    /// <summary>The MQTT client id; null makes it <c>edge-monitor-DEVICE</c>, which a fleet keeps unique per device.</summary>
    public string? ClientId { get; init; }

    /// <summary>The first topic level: topics are <c>PREFIX/DEVICE/…</c>.</summary>
    public string TopicPrefix { get; init; } = "edge";

    /// <summary>The user name for the broker's password check; null connects anonymously.</summary>
    public string? Username { get; init; }

    /// <summary>The password, or null (prefer <see cref="PasswordFile"/>, which keeps it out of the config).</summary>
    public string? Password { get; init; }

    /// <summary>A file whose first line is the password.</summary>
    public string? PasswordFile { get; init; }

    /// <summary>TLS to the broker; null connects in plain TCP.</summary>
    public TlsConfig? Tls { get; init; }

    /// <summary>Seconds between reconnect attempts while the broker is away.</summary>
    public double ReconnectS { get; init; } = 2;

    /// <summary>
    /// Alerts published together before their PUBACKs are awaited; their ids then go to <c>acked.log</c> with one fsync.
    /// Lower it for a broker that limits a client's messages in flight (MQTT 5 receive maximum).
    /// </summary>
    public int InFlight { get; init; } = 256;

    /// <summary>MQTT keep-alive in seconds; the broker publishes the last will after 1.5 times this without a packet.</summary>
    public double KeepAliveS { get; init; } = 15;
}
