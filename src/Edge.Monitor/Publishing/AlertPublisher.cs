using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Edge.Monitor.Config;
using Edge.Monitor.Metrics;
using Edge.Monitor.Outbox;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Monitor.Publishing;

/// <summary>
/// The daemon's MQTT connection: sends the outbox's alerts in order at QoS 1 (each removed only on the broker's
/// acknowledgement), keeps one retained status per stream and a retained device status whose last will is "offline",
/// and reconnects forever while the broker is away (down at start or gone later), logging each outage once.
/// </summary>
public sealed class AlertPublisher : IAsyncDisposable
{
    private readonly BrokerConfig _broker;
    private readonly AlertOutbox _outbox;
    private readonly MonitorMetrics _metrics;
    private readonly ILogger _log;
    private readonly IMqttClient _client;
    private readonly MqttClientOptions _options;
    private readonly ConcurrentDictionary<string, byte[]> _statuses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _dirty = new(StringComparer.Ordinal);

    /// <summary>Prepares the connection (nothing is sent until <see cref="RunAsync"/>).</summary>
    public AlertPublisher(string device, BrokerConfig broker, AlertOutbox outbox, MonitorMetrics metrics, ILogger log)
    {
        _broker = broker;
        _outbox = outbox;
        _metrics = metrics;
        _log = log;
        DeviceTopic = $"{broker.TopicPrefix}/{device}";
        ClientId = broker.ClientId ?? $"edge-monitor-{device}";
        _client = new MqttClientFactory().CreateMqttClient();
        _options = Options(broker, ClientId, StatusTopic, Password(broker));
    }

    /// <summary><c>PREFIX/DEVICE</c>: the root of this device's topics.</summary>
    public string DeviceTopic { get; }

    /// <summary>The device's retained status topic ("online", or the last will "offline").</summary>
    public string StatusTopic => DeviceTopic + "/status";

    /// <summary>The MQTT client id.</summary>
    public string ClientId { get; }

    /// <summary>The topic of <paramref name="stream"/>'s alerts.</summary>
    public string AlertTopic(string stream) => $"{DeviceTopic}/alerts/{stream}";

    /// <summary>The retained status topic of <paramref name="stream"/>.</summary>
    public string StreamStatusTopic(string stream) => $"{DeviceTopic}/streams/{stream}/status";

    /// <summary>The password the config gives (inline or from its file), or null.</summary>
    public static string? Password(BrokerConfig broker) =>
        broker.Password ?? (broker.PasswordFile is { } f ? File.ReadLines(f).FirstOrDefault()?.TrimEnd('\r') : null);

    /// <summary>Sets <paramref name="stream"/>'s retained status; it is published now if connected, else on reconnect.</summary>
    public void SetStatus(string stream, byte[] json)
    {
        _statuses[stream] = json;
        _dirty[stream] = 0;
    }

    /// <summary>Connects, sends and reconnects until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        bool down = false;
        int inFlight = _broker.InFlight;
        var batch = new List<OutboxEntry>(inFlight);
        var acked = new List<OutboxEntry>(inFlight);
        var retry = TimeSpan.FromSeconds(_broker.ReconnectS);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (!_client.IsConnected)
                {
                    await _client.ConnectAsync(_options, cancellationToken).ConfigureAwait(false);
                    _metrics.BrokerConnected.Set(1);
                    _log.LogInformation("broker {Host}:{Port}: connected as {ClientId}{Again}; {Pending} alerts waiting", _broker.Host, _broker.Port, ClientId, down ? " again" : "", _outbox.Pending);
                    down = false;
                    await PublishAsync(StatusTopic, "online"u8.ToArray(), retain: true, cancellationToken).ConfigureAwait(false);
                    foreach (string s in _statuses.Keys) _dirty[s] = 0;
                }
                foreach (string stream in _dirty.Keys)
                {
                    _dirty.TryRemove(stream, out _);
                    await PublishAsync(StreamStatusTopic(stream), _statuses[stream], retain: true, cancellationToken).ConfigureAwait(false);
                }
                _outbox.PeekOldest(batch, inFlight);
                if (batch.Count > 0)
                {
                    // Up to in_flight publishes wait for their PUBACKs together; only the acknowledged ones leave the outbox.
                    var sends = new Task[batch.Count];
                    for (int i = 0; i < batch.Count; i++) sends[i] = PublishAsync(AlertTopic(batch[i].Alert.Stream), AlertOutbox.Payload(batch[i].ToSend()), retain: false, cancellationToken);
                    try
                    {
                        await Task.WhenAll(sends).ConfigureAwait(false);
                    }
                    finally
                    {
                        acked.Clear();
                        for (int i = 0; i < batch.Count; i++)
                        {
                            if (sends[i].IsCompletedSuccessfully) acked.Add(batch[i]);
                            else batch[i].Redelivery = true;   // the broker may have it; the retry says so
                        }
                        _outbox.Acknowledge(acked);
                        _metrics.AlertsSent.Inc(acked.Count);
                        _metrics.OutboxPending.Set(_outbox.Pending);
                    }
                    continue;
                }
                await _outbox.WaitAsync(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                _metrics.BrokerConnected.Set(0);
                if (!down)
                {
                    _metrics.BrokerFailures.Inc();
                    _log.LogWarning("broker {Host}:{Port}: unreachable ({Problem}); alerts wait in the outbox, retrying every {Seconds} s", _broker.Host, _broker.Port, e.Message, _broker.ReconnectS);
                    down = true;
                }
                try { await Task.Delay(retry, cancellationToken).ConfigureAwait(false); } catch (OperationCanceledException) { break; }
            }
        }
    }

    private async Task PublishAsync(string topic, byte[] payload, bool retain, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(retain).Build();
        var result = await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess) throw new InvalidOperationException($"the broker refused '{topic}' ({result.ReasonCode} {result.ReasonString})");
    }

    private static MqttClientOptions Options(BrokerConfig b, string clientId, string willTopic, string? password)
    {
        var o = new MqttClientOptionsBuilder()
            .WithTcpServer(b.Host, b.Port)
            .WithClientId(clientId)
            .WithCleanSession(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(b.KeepAliveS))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithWillTopic(willTopic)
            .WithWillPayload(Encoding.UTF8.GetBytes("offline"))
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (b.Username is not null) o = o.WithCredentials(b.Username, password);
        if (b.Tls is { } tls)
        {
            o = o.WithTlsOptions(t =>
            {
                t.UseTls(true).WithTargetHost(tls.ServerName ?? b.Host);
                if (tls.CaFile is not null)
                {
                    var chain = new X509Certificate2Collection();
                    chain.ImportFromPemFile(tls.CaFile);
                    t.WithTrustChain(chain);
                }
                if (tls.ClientCertFile is not null)
                    t.WithClientCertificates(new X509Certificate2Collection(X509Certificate2.CreateFromPemFile(tls.ClientCertFile, tls.ClientKeyFile)));
            });
        }
        return o.Build();
    }

    /// <summary>Publishes "offline" on the device's status (a clean disconnect does not fire the will) and disconnects.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                foreach (string stream in _dirty.Keys) await PublishAsync(StreamStatusTopic(stream), _statuses[stream], retain: true, timeout.Token).ConfigureAwait(false);
                await PublishAsync(StatusTopic, "offline"u8.ToArray(), retain: true, timeout.Token).ConfigureAwait(false);
                await _client.DisconnectAsync(new MqttClientDisconnectOptions(), timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _log.LogWarning("broker {Host}:{Port}: could not say offline at shutdown ({Problem}); the broker's last will does", _broker.Host, _broker.Port, e.Message);
            }
        }
        _client.Dispose();
    }
}
