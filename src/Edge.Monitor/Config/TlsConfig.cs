namespace Edge.Monitor.Config;

/// <summary>TLS to the broker: the CA that signed the broker's certificate, and optionally a client certificate.</summary>
public sealed class TlsConfig
{
    /// <summary>A PEM file with the CA certificate(s) the broker's certificate must chain to; null trusts the system store.</summary>
    public string? CaFile { get; init; }

    /// <summary>A PEM client certificate for brokers that require one (with <see cref="ClientKeyFile"/>).</summary>
    public string? ClientCertFile { get; init; }

    /// <summary>The PEM private key of <see cref="ClientCertFile"/>.</summary>
    public string? ClientKeyFile { get; init; }

    /// <summary>The name the broker's certificate must carry; null uses the broker's host.</summary>
    public string? ServerName { get; init; }
}
