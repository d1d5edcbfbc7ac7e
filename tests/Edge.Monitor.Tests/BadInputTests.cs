using System.Globalization;
using System.Text;
using System.Text.Json;
using Edge.Monitor.Config;
using Edge.Monitor.Hosting;
using Edge.Monitor.Outbox;
using Edge.TestSupport;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Monitor.Tests;

/// <summary>
/// Bad input at run time, each seen in the metrics of its own stream while a clean stream beside it raises exactly its
/// reference alerts: unreadable and non-finite readings, a time that goes back, a gap, a sensor that goes silent and
/// returns, and a broker that is down when the daemon starts.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("edge-monitor-bad-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Bad_readings_gaps_and_a_silent_sensor_are_counted_on_their_own_stream_and_the_clean_stream_is_unaffected()
    {
        using var broker = new MosquittoBroker();
        await using var subscriber = new AlertSubscriber(broker.Port);
        await subscriber.ConnectAsync();
        // Unit 37 spoilt: data rows 300 and 301 unreadable (NaN, text), rows 400-429 missing (a 60 h gap), row 500 at row 499's time.
        string[] lines = File.ReadAllLines(ReferenceAlerts.Unit(37));
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        rows[300][2] = "NaN";
        rows[301][3] = "n/a";
        rows[500][1] = rows[499][1];
        rows.RemoveRange(400, 30);
        string spoilt = Path.Combine(_folder, "spoilt.csv");
        File.WriteAllLines(spoilt, [lines[0], .. rows.Select(r => string.Join(',', r))]);
        string csv38 = ReferenceAlerts.Unit(38);
        var expected38 = ReferenceAlerts.Ids("rig", "u38", csv38);
        int metricsPort = MonitorConfigFile.FreePort();
        string config = Path.Combine(_folder, "monitor.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["device"] = "rig", ["models"] = ReferenceAlerts.ModelsFolder, ["state_dir"] = Path.Combine(_folder, "state"),
            ["checkpoint_interval_s"] = 0.5, ["workers"] = 2, ["metrics"] = new { port = metricsPort },
            ["broker"] = new { host = "127.0.0.1", port = broker.Port, reconnect_s = 0.3 },
            ["streams"] = new object[]
            {
                new { name = "spoilt", gap_s = 10 * 3600, source = new { kind = "csv", path = spoilt, rate_hz = 0 } },
                new { name = "u38", source = new { kind = "csv", path = csv38, rate_hz = 0 } },
                new { name = "live", silence_s = 1.5, source = new { kind = "mqtt", topics = new { bias = "lab/bias", monitor = "lab/monitor", case_temp = "lab/temp" } } },
            },
        }));

        using var stop = new CancellationTokenSource();
        var daemon = MonitorHost.RunAsync(MonitorConfigReader.Load(config), () => throw new InvalidOperationException(), stop.Token);
        using var sensor = new MqttClientFactory().CreateMqttClient();
        await sensor.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithClientId("test-sensor").Build());
        var live = ArrayLaserFrames.Read(ReferenceAlerts.Unit(37));
        async Task Publish(int i, string? bias = null)
        {
            double t = live[i].Time.ToUnixTimeMilliseconds() / 1000.0;
            string Json(double v) => string.Create(CultureInfo.InvariantCulture, $"{{\"value\":{v},\"time\":{t}}}");
            foreach (var (topic, payload) in new[] { ("lab/bias", bias ?? Json(live[i].Bias)), ("lab/monitor", Json(live[i].Monitor)), ("lab/temp", Json(live[i].CaseTemperature)) })
                await sensor.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(Encoding.UTF8.GetBytes(payload)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        }
        Dictionary<string, double> m = [];
        double Metric(string key) => m.Value(key);
        // The first reading is sent until the daemon's subscription has it (copies after that are refused as not later).
        Assert.True(await Eventually.TrueAsync(() =>
        {
            Publish(0).GetAwaiter().GetResult();
            m = MetricsScrape.Read(metricsPort);
            return Metric("edge_monitor_samples_total{stream=\"live\"}") >= 1;
        }), "the MQTT stream never received a reading");
        for (int i = 1; i < 40; i++) await Publish(i, i == 20 ? "NaN" : null);
        Assert.True(await Eventually.TrueAsync(() => (m = MetricsScrape.Read(metricsPort)).Value("edge_monitor_samples_total{stream=\"live\"}") == 39),
            $"the live stream stepped {Metric("edge_monitor_samples_total{stream=\"live\"}")} of 39 good readings");
        double silences = Metric("edge_monitor_sensor_silences_total{stream=\"live\"}");
        // The sensor goes quiet for longer than silence_s, then comes back.
        Assert.True(await Eventually.TrueAsync(() => subscriber.Retained.GetValueOrDefault("edge/rig/streams/live/status")?.Contains("\"state\":\"silent\"") == true),
            "the silent sensor's stream never said so");
        m = MetricsScrape.Read(metricsPort);
        Assert.Equal(silences + 1, Metric("edge_monitor_sensor_silences_total{stream=\"live\"}"));
        for (int i = 40; i < 50; i++) await Publish(i);
        Assert.True(await Eventually.TrueAsync(() => subscriber.Retained.GetValueOrDefault("edge/rig/streams/live/status")?.Contains("\"state\":\"running\"") == true
            && (m = MetricsScrape.Read(metricsPort)).Value("edge_monitor_samples_total{stream=\"live\"}") == 49), "the sensor's return was not seen");
        Assert.Equal(1, Metric("edge_monitor_samples_rejected_total{stream=\"live\",reason=\"SensorStatus\"}"));

        Assert.True(await Eventually.TrueAsync(() => subscriber.Ids.IsSupersetOf(expected38) && (m = MetricsScrape.Read(metricsPort)).Value("edge_monitor_streams{state=\"finished\"}") == 2),
            $"u38: {expected38.Except(subscriber.Ids).Count()} of {expected38.Count} alerts missing");
        stop.Cancel();
        await daemon;

        Assert.Equal(2, Metric("edge_monitor_samples_rejected_total{stream=\"spoilt\",reason=\"SensorStatus\"}"));
        Assert.Equal(1, Metric("edge_monitor_samples_rejected_total{stream=\"spoilt\",reason=\"TimeNotAfterPrevious\"}"));
        Assert.Equal(1, Metric("edge_monitor_gaps_total{stream=\"spoilt\"}"));
        Assert.Equal(rows.Count - 3, Metric("edge_monitor_samples_total{stream=\"spoilt\"}"));
        foreach (var reason in Enum.GetNames<Maintenance.Pipeline.MaintenanceRejection>().Where(r => r != "None"))
            Assert.Equal(0, Metric($"edge_monitor_samples_rejected_total{{stream=\"u38\",reason=\"{reason}\"}}"));
        Assert.Equal(0, Metric("edge_monitor_gaps_total{stream=\"u38\"}"));
        Assert.Equal(expected38, subscriber.Ids.Where(id => id.StartsWith("rig/u38/", StringComparison.Ordinal)).ToHashSet());
    }

    [Fact]
    public async Task Alerts_raised_while_the_broker_is_down_at_start_wait_on_disk_beyond_the_memory_bound_and_all_arrive_when_it_comes_up()
    {
        using var broker = new MosquittoBroker();
        broker.Stop();
        string csv = ReferenceAlerts.Unit(37);
        // An alert on every flagged reading (413), held in memory 8 at a time: the backlog is 50 times the bound.
        var expected = ReferenceAlerts.Ids("rig", "u37", csv, repeatEvery: 1, clearAfter: 1);
        Assert.Equal(413, expected.Count);
        int metricsPort = MonitorConfigFile.FreePort();
        string config = MonitorConfigFile.Write(_folder, broker.Port, metricsPort, [("u37", csv, 0)], repeatEvery: 1, clearAfter: 1, memoryAlerts: 8);
        using var stop = new CancellationTokenSource();
        var daemon = MonitorHost.RunAsync(MonitorConfigReader.Load(config), () => throw new InvalidOperationException(), stop.Token);
        string outbox = Path.Combine(_folder, "state", "outbox");
        Dictionary<string, double> m = [];
        // The stream runs to its end without the broker; every alert waits in the outbox.
        Assert.True(await Eventually.TrueAsync(() => (m = MetricsScrape.Read(metricsPort)).Value("edge_monitor_samples_total{stream=\"u37\"}") == 1182
            && AlertOutbox.CountWaiting(outbox) == expected.Count
            // The gauge is counted after the file is durable, so it may trail the folder by a moment.
            && m.Value("edge_monitor_outbox_pending") == expected.Count && m.Value("edge_monitor_outbox_in_memory") == 8),
            $"{AlertOutbox.CountWaiting(outbox)} of {expected.Count} alerts on disk, {m.Value("edge_monitor_outbox_pending")} counted pending, {m.Value("edge_monitor_outbox_in_memory")} in memory (bound 8)");
        Assert.True(m.Value("edge_monitor_broker_failures_total") >= 1);
        Assert.Equal(0, m.Value("edge_monitor_broker_connected"));

        // Once the broker is up every alert is acknowledged by it (QoS 1) and leaves the outbox.
        broker.Start();
        Assert.True(await Eventually.TrueAsync(() => AlertOutbox.CountWaiting(outbox) == 0
            && (m = MetricsScrape.Read(metricsPort)).Value("edge_monitor_alerts_sent_total") == expected.Count),
            $"{m.Value("edge_monitor_alerts_sent_total")} of {expected.Count} alerts acknowledged after the broker came up");
        Assert.Equal(1, m.Value("edge_monitor_broker_connected"));
        Assert.Equal(0, m.Value("edge_monitor_outbox_in_memory"));
        // The ids the broker acknowledged (the ledger, too short to be compacted yet) are the pipeline's, each once: the
        // 405 read back from disk as the window drained included.
        var acked = File.ReadAllLines(Path.Combine(outbox, "acked.log"));
        Assert.Equal(expected.Count, acked.Length);
        Assert.Equal(expected, acked.ToHashSet());
        stop.Cancel();
        await daemon;
    }
}
