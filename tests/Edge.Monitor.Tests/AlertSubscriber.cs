using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Monitor.Tests;

/// <summary>
/// A real MQTT subscriber on the test broker that records every alert (id and redelivery mark) and retained status. It
/// keeps a persistent session, as a fleet's consumer of alerts must: what the broker acknowledged to the daemon while
/// this subscriber was away is queued for it, not dropped.
/// </summary>
public sealed class AlertSubscriber : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly int _port;
    private readonly X509Certificate2Collection? _trust;
    private readonly (string User, string Password)? _login;

    public AlertSubscriber(int port, X509Certificate2Collection? trust = null, (string, string)? login = null)
    {
        _port = port;
        _trust = trust;
        _login = login;
        _client.ApplicationMessageReceivedAsync += Receive;
    }

    public ConcurrentQueue<(string Id, bool Redelivery)> Alerts { get; } = new();

    public ConcurrentDictionary<string, string> Retained { get; } = new();

    public HashSet<string> Ids => [.. Alerts.Select(a => a.Id)];

    public async Task ConnectAsync()
    {
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _port).WithClientId("test-subscriber")
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).WithCleanStart(false).WithSessionExpiryInterval(3600);
        if (_trust is not null) options = options.WithTlsOptions(t => t.UseTls(true).WithTargetHost("localhost").WithTrustChain(_trust));
        if (_login is { } l) options = options.WithCredentials(l.User, l.Password);
        await _client.ConnectAsync(options.Build());
        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("edge/#", MqttQualityOfServiceLevel.AtLeastOnce).Build());
    }

    private Task Receive(MqttApplicationMessageReceivedEventArgs e)
    {
        string topic = e.ApplicationMessage.Topic;
        string text = Encoding.UTF8.GetString(e.ApplicationMessage.Payload);
        if (topic.Contains("/alerts/", StringComparison.Ordinal))
        {
            using var doc = JsonDocument.Parse(text);
            bool redelivery = doc.RootElement.TryGetProperty("redelivery", out var r) && r.GetBoolean();
            Alerts.Enqueue((doc.RootElement.GetProperty("id").GetString()!, redelivery));
        }
        else Retained[topic] = text;
        return Task.CompletedTask;
    }

    public async Task ReconnectAsync()
    {
        if (_client.IsConnected) await _client.DisconnectAsync();
        await ConnectAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected) await _client.DisconnectAsync();
        _client.Dispose();
    }
}
