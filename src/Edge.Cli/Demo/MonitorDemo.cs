using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Edge.Cli.Commands;
using Edge.Maintenance.Pipeline;
using Edge.Maintenance.Replay;
using Edge.Monitor.Config;
using Edge.Monitor.Hosting;
using Edge.Monitor.Streams;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Cli.Demo;

/// <summary>
/// The monitoring daemon demo: a private mosquitto on a free loopback port, <c>edge monitor</c>'s daemon replaying
/// held-out aging run 37 into it, and a subscriber printing the first alert as it arrives and counting the rest against
/// the pipeline's own run. Without mosquitto it says how to get one (not a failed check).
/// </summary>
internal static class MonitorDemo
{
    private const int Unit = 37;
    private static readonly string[] MosquittoPaths = ["/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto", "/usr/bin/mosquitto", "/opt/homebrew/sbin/mosquitto"];

    public static bool Run(TextWriter o)
    {
        string? mosquitto = MosquittoPaths.FirstOrDefault(File.Exists);
        if (mosquitto is null)
        {
            o.WriteLine("monitor daemon: skipped, no MQTT broker here; install mosquitto (apt-get install mosquitto, brew install mosquitto) and run edge demo again, or run edge monitor against your own broker (samples/sensor-monitoring-daemon)");
            return true;
        }
        string folder = Directory.CreateTempSubdirectory("edge-demo-monitor-").FullName;
        Process? broker = null;
        try
        {
            int port = FreePort();
            File.WriteAllText(Path.Combine(folder, "mosquitto.conf"), $"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n");
            broker = Process.Start(new ProcessStartInfo(mosquitto, ["-c", Path.Combine(folder, "mosquitto.conf")]) { RedirectStandardError = true, RedirectStandardOutput = true });
            if (broker is null || !WaitListening(port, broker))
            {
                o.WriteLine($"monitor daemon: skipped, {mosquitto} did not start on 127.0.0.1:{port}");
                return true;
            }
            return RunDaemon(o, port, folder).GetAwaiter().GetResult();
        }
        finally
        {
            if (broker is { HasExited: false }) broker.Kill();
            broker?.Dispose();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<bool> RunDaemon(TextWriter o, int port, string folder)
    {
        var c = CultureInfo.InvariantCulture;
        string csv = Path.Combine(DemoModels.Extract("laser-aging"), $"unit_{Unit:000}.csv");
        int expected = ExpectedAlerts(csv);
        string first = "";
        int received = 0;
        var clock = Stopwatch.StartNew();
        double firstAt = 0;
        using var subscriber = new MqttClientFactory().CreateMqttClient();
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            if (Interlocked.Increment(ref received) == 1)
            {
                first = Encoding.UTF8.GetString(e.ApplicationMessage.Payload);
                firstAt = clock.Elapsed.TotalSeconds;
            }
            return Task.CompletedTask;
        };
        await subscriber.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("edge-demo-subscriber").Build());
        await subscriber.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("edge/demo/alerts/#", MqttQualityOfServiceLevel.AtLeastOnce).Build());

        string config = Path.Combine(folder, "monitor.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new
        {
            device = "demo", state_dir = Path.Combine(folder, "state"), metrics = new { port = 0 },
            broker = new { host = "127.0.0.1", port },
            streams = new[] { new { name = $"unit{Unit}", source = new { kind = "csv", path = csv, rate_hz = 400 } } },
        }));
        o.WriteLine(string.Create(c, $"monitor daemon: edge monitor replaying held-out aging run {Unit} at 400 readings/s into mosquitto on 127.0.0.1:{port}, alerts at QoS 1 through the on-disk outbox"));
        using var stop = new CancellationTokenSource();
        var daemon = MonitorHost.RunAsync(MonitorConfigReader.Load(config), PdmCommand.DefaultModels, LogLevel.Warning, stop.Token);
        while (Volatile.Read(ref received) < expected && clock.Elapsed < TimeSpan.FromSeconds(60) && !daemon.IsCompleted) await Task.Delay(50);
        stop.Cancel();
        await daemon;
        if (subscriber.IsConnected) await subscriber.DisconnectAsync();
        bool ok = received == expected;
        o.WriteLine(string.Create(c, $"  first alert    arrived {firstAt:F1} s after the start on edge/demo/alerts/unit{Unit}: {(first.Length > 150 ? first[..150] + "…" : first)}"));
        o.WriteLine(string.Create(c, $"  alerts         {received} received of the {expected} the pipeline raises on this run, in {clock.Elapsed.TotalSeconds:F1} s {DemoChecks.Verdict(ok)}"));
        return ok;
    }

    private static int ExpectedAlerts(string csv)
    {
        using var models = PdmCommand.DefaultModels();
        using var pipeline = new MaintenancePipeline(models);
        using var source = LaserRunCsv.Open(csv);
        var frames = new LaserFrameReader(source);
        // Coalesced as the daemon does with the config's defaults (an alarm's opening, still_active, cleared, end of life).
        var alerts = new AlertsConfig();
        var coalescer = new AlertCoalescer(alerts.RepeatEvery, alerts.ClearAfter);
        int n = 0;
        for (long position = 0; frames.TryRead(out var r); position++)
        {
            var step = pipeline.Step(r);
            if (step.Kind != MaintenanceStepKind.Rejected && coalescer.Next(step, position, out _) is not null) n++;
        }
        return n;
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private static bool WaitListening(int port, Process broker)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10) && !broker.HasExited)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        return false;
    }
}
