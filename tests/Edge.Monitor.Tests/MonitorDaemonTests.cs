using System.Net;
using System.Net.Sockets;
using Edge.Maintenance.Pipeline;
using Edge.Monitor.Config;
using Edge.Monitor.Hosting;
using Edge.Monitor.Outbox;
using Edge.TestSupport;

namespace Edge.Monitor.Tests;

public sealed class MonitorDaemonTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("edge-monitor-test-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Func<MaintenanceModels> NoDefault => () => throw new InvalidOperationException("the config names its models");

    [Fact]
    public async Task Every_alert_arrives_even_those_raised_while_the_broker_was_stopped()
    {
        using var broker = new MosquittoBroker();
        await using var subscriber = new AlertSubscriber(broker.Port);
        await subscriber.ConnectAsync();
        string csv37 = ReferenceAlerts.Unit(37), csv38 = ReferenceAlerts.Unit(38);
        // No coalescing (an alert on every flagged reading), so that many alerts are raised while the broker is away.
        var expected = ReferenceAlerts.Ids("rig", "u37", csv37, repeatEvery: 1, clearAfter: 1);
        expected.UnionWith(ReferenceAlerts.Ids("rig", "u38", csv38, repeatEvery: 1, clearAfter: 1));
        Assert.Equal(413 + 365, expected.Count);
        // One worker steps both streams in turn.
        string config = MonitorConfigFile.Write(_folder, broker.Port, 0, [("u37", csv37, 250), ("u38", csv38, 250)], reconnectS: 1.5, workers: 1,
            repeatEvery: 1, clearAfter: 1);

        using var stop = new CancellationTokenSource();
        var daemon = MonitorHost.RunAsync(MonitorConfigReader.Load(config), NoDefault, stop.Token);
        Assert.True(await Eventually.TrueAsync(() => subscriber.Alerts.Count >= 10), "no alerts arrived");
        broker.Stop();
        string outbox = Path.Combine(_folder, "state", "outbox");
        // While the broker is away the daemon goes on raising alerts; they wait on disk.
        Assert.True(await Eventually.TrueAsync(() => AlertOutbox.CountWaiting(outbox) >= 20), "alerts did not wait in the outbox");
        // What the broker acknowledged before it stopped was in its hands, and the daemon let it go.
        var ackedBeforeStop = AckedIds(outbox);
        broker.Start();
        await subscriber.ReconnectAsync();
        // Every alert the broker had not acknowledged when it stopped (raised meanwhile, or in flight) arrives.
        var mustArrive = expected.Except(ackedBeforeStop).ToHashSet();
        Assert.True(mustArrive.Count >= 20);
        Assert.True(await Eventually.TrueAsync(() => subscriber.Ids.IsSupersetOf(mustArrive)), $"missing after the outage: {mustArrive.Except(subscriber.Ids).Count()} of {mustArrive.Count} raised or unacknowledged while the broker was away");
        // Every alert leaves the outbox once its PUBACK is in (the last ones may still be in flight when the set is complete).
        Assert.True(await Eventually.TrueAsync(() => AlertOutbox.CountWaiting(outbox) == 0), "alerts stayed in the outbox after the broker acknowledged them");
        stop.Cancel();
        await daemon;

        // The broker delivers what it had acknowledged too, across its restart (persistence, the subscriber's persistent
        // session), except alerts it held in flight to the subscriber at its shutdown, which Mosquitto 2.0 may drop: anything
        // missing must be one the daemon handed over before the stop. How many that is depends on the broker's timing, not
        // on the daemon: 0-3 on a quiet machine, 7-15 at a load of 25-36, so the count is not capped.
        var lostByBroker = expected.Except(subscriber.Ids).ToList();
        Assert.True(lostByBroker.All(ackedBeforeStop.Contains),
            $"missing: {string.Join(", ", lostByBroker)} (acknowledged by the broker before its stop: {lostByBroker.Count(ackedBeforeStop.Contains)})");
        // A copy received twice is one whose PUBACK was lost with the broker: it must say so.
        var unmarked = subscriber.Alerts.GroupBy(a => a.Id).Where(g => g.Count(a => !a.Redelivery) > 1).Select(g => g.Key).ToList();
        Assert.Empty(unmarked);
        Assert.Equal("offline", subscriber.Retained.GetValueOrDefault("edge/rig/status"));
        Assert.Contains("\"state\":\"finished\"", subscriber.Retained.GetValueOrDefault("edge/rig/streams/u37/status"));
    }

    // The ids in the outbox's ledger of acknowledged alerts (a line per id; the test's ledger is never compacted).
    private static HashSet<string> AckedIds(string outbox)
    {
        string path = Path.Combine(outbox, "acked.log");
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        var ids = new HashSet<string>();
        while (reader.ReadLine() is { } line)
        {
            Assert.False(line.StartsWith('<'), "the ledger was compacted; the test reads ids only");
            if (line.Length > 0) ids.Add(line);
        }
        return ids;
    }

    [Fact]
    public async Task Metrics_answer_a_real_scrape_with_the_documented_names_on_loopback_only()
    {
        using var broker = new MosquittoBroker();
        int port = MonitorConfigFile.FreePort();
        string config = MonitorConfigFile.Write(_folder, broker.Port, port, [("u37", ReferenceAlerts.Unit(37), 0)]);
        using var stop = new CancellationTokenSource();
        var daemon = MonitorHost.RunAsync(MonitorConfigReader.Load(config), NoDefault, stop.Token);
        using var http = new HttpClient();
        string text = "";
        Assert.True(await Eventually.TrueAsync(() =>
        {
            try { text = http.GetStringAsync($"http://127.0.0.1:{port}/metrics").GetAwaiter().GetResult(); }
            catch (HttpRequestException) { return false; }
            return text.Contains("edge_monitor_samples_total{stream=\"u37\"} 1182", StringComparison.Ordinal)
                && text.Contains("edge_monitor_streams{state=\"finished\"} 1", StringComparison.Ordinal);
        }), "the replay of unit 37 (1182 readings) never showed in the metrics:\n" + text);
        foreach (string name in new[]
        {
            "edge_monitor_step_seconds_bucket", "edge_monitor_step_seconds_count 1182", "edge_monitor_samples_rejected_total",
            "edge_monitor_samples_dropped_total", "edge_monitor_alerts_queued_total", "edge_monitor_alerts_sent_total", "edge_monitor_outbox_pending", "edge_monitor_outbox_in_memory",
            "edge_monitor_broker_connected", "edge_monitor_checkpoints_total", "edge_monitor_checkpoint_age_seconds", "dotnet_collection_count_total{generation=\"0\"}",
        })
        {
            Assert.Contains(name, text);
        }
        // Bound to 127.0.0.1: the same port on this machine's other addresses refuses the connection.
        foreach (var address in (await Dns.GetHostAddressesAsync(Dns.GetHostName())).Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a)))
        {
            using var probe = new TcpClient();
            Assert.ThrowsAny<SocketException>(() => probe.Connect(address, port));
        }
        stop.Cancel();
        await daemon;
    }

    [Theory]
    [InlineData("{\"device\":\"rig\",\"state_dir\":\"s\",\"streams\":[{\"name\":\"a\",\"sourse\":{}}]}", "unknown key at $.streams[0].sourse")]
    [InlineData("{\"device\":\"rig\",\"state_dir\":\"s\",\"streams\":[{\"name\":\"a\",\"source\":{\"kind\":\"csv\",\"path\":\"missing.csv\"}}]}", "$.streams[0].source.path 'missing.csv' does not exist")]
    [InlineData("{\"device\":\"rig\",\"state_dir\":\"s\",\"broker\":{\"prot\":1883},\"streams\":[]}", "unknown key at $.broker.prot")]
    [InlineData("{\"device\":\"rig/1\",\"state_dir\":\"s\",\"streams\":[]}", "$.device 'rig/1' must be")]
    [InlineData("{\"device\":\"rig\",\"state_dir\":\"s\",\"streams\":[{\"name\":\"a\",\"source\":{\"kind\":\"i2c\"}}]}", "$.streams[0].source.kind 'i2c' is not a source")]
    public void A_bad_config_is_one_clear_error_naming_the_key(string json, string expected)
    {
        string path = Path.Combine(_folder, "bad.json");
        File.WriteAllText(path, json);
        var e = Assert.Throws<EdgeException>(() => MonitorConfigReader.Load(path));
        Assert.Contains(expected, e.Message);
    }
}
