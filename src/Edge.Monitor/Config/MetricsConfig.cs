namespace Edge.Monitor.Config;

/// <summary>The Prometheus endpoint: <c>http://127.0.0.1:PORT/metrics</c>; loopback only, by design (scrape through an agent or a tunnel).</summary>
public sealed class MetricsConfig
{
    /// <summary>The TCP port; 0 turns the endpoint off.</summary>
    public int Port { get; init; } = 9464;
}
