using System.Diagnostics;
using Edge.Maintenance.Pipeline;
using Edge.Monitor.Checkpoints;
using Edge.Monitor.Outbox;
using Edge.TestSupport;
using Xunit.Abstractions;

namespace Edge.Monitor.Tests;

/// <summary>
/// The daemon (<c>edge monitor</c>, its own process) is SIGKILLed at random moments while replaying two held-out units,
/// and restarted each time: every checkpoint left behind must load, and the alert ids received over the whole run must
/// equal an uninterrupted run's, any repeat marked as a redelivery. CI runs 3 kills; bench/monitor-crash.sh runs 20
/// (EDGE_MONITOR_CRASH_KILLS).
/// </summary>
public sealed class CrashTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("edge-monitor-crash-").FullName;
    private readonly ITestOutputHelper _out;

    public CrashTests(ITestOutputHelper output) => _out = output;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Killed_at_random_moments_it_resumes_and_the_alert_ids_equal_an_uninterrupted_run()
    {
        int kills = int.TryParse(Environment.GetEnvironmentVariable("EDGE_MONITOR_CRASH_KILLS"), out int k) ? k : 3;
        using var broker = new MosquittoBroker();
        await using var subscriber = new AlertSubscriber(broker.Port);
        await subscriber.ConnectAsync();
        var units = new[] { ("u37", ReferenceAlerts.Unit(37)), ("u38", ReferenceAlerts.Unit(38)) };
        var expected = new HashSet<string>();
        // Coalesced tightly (a still_active every 10 readings, cleared after 3 quiet ones: 84 alerts), so that kills land
        // inside alarms and the replays from checkpoints must coalesce exactly as an uninterrupted run does.
        foreach (var (name, csv) in units) expected.UnionWith(ReferenceAlerts.Ids("rig", name, csv, repeatEvery: 10, clearAfter: 3));
        Assert.Equal(43 + 41, expected.Count);
        // 1182 and 1562 readings: at 150 a second about 10 s of replay for 3 kills, at 60 about 26 s for 20, so that the
        // kills (one every 1.5-3.5 s, the first second of each being start-up) land while the streams still run.
        double rate = kills <= 3 ? 150 : 60;
        string config = MonitorConfigFile.Write(_folder, broker.Port, 0, units.Select(u => (u.Item1, u.Item2, rate)), checkpointS: 0.3,
            repeatEvery: 10, clearAfter: 3);
        var store = new CheckpointStore(Path.Combine(_folder, "state", "checkpoints"));
        using var models = MaintenanceModels.LoadFolder(ReferenceAlerts.ModelsFolder);
        var random = new Random(20261201);
        var positions = new List<string>();

        for (int i = 0; i < kills; i++)
        {
            using var daemon = StartDaemon(config);
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(1500, 3500)));
            Assert.False(daemon.HasExited, $"edge monitor exited by itself with {(daemon.HasExited ? daemon.ExitCode : 0)}");
            daemon.Kill();   // SIGKILL: no shutdown hook, no last checkpoint
            await daemon.WaitForExitAsync();
            foreach (var (name, _) in units)
            {
                using var pipeline = new MaintenancePipeline(models);
                long? at = store.Restore(name, pipeline);   // throws if a checkpoint were unreadable
                positions.Add($"{name}@{at?.ToString() ?? "none"}");
            }
        }
        using (var last = StartDaemon(config))
        {
            bool complete = await Eventually.TrueAsync(() => subscriber.Ids.IsSupersetOf(expected)
                && AlertOutbox.CountWaiting(Path.Combine(_folder, "state", "outbox")) == 0, 180);
            last.Kill();
            await last.WaitForExitAsync();
            Assert.True(complete, $"missing {expected.Except(subscriber.Ids).Count()} of {expected.Count} alerts after {kills} kills");
        }

        Assert.Equal(expected, subscriber.Ids);
        var unmarked = subscriber.Alerts.GroupBy(a => a.Id).Where(g => g.Count(a => !a.Redelivery) > 1).Select(g => g.Key).ToList();
        Assert.Empty(unmarked);
        int repeats = subscriber.Alerts.Count - subscriber.Ids.Count;
        _out.WriteLine($"{kills} SIGKILLs; checkpoints after each (stream@position): {string.Join(" ", positions)}");
        _out.WriteLine($"alerts: {expected.Count} expected, {subscriber.Ids.Count} distinct received, {repeats} repeats (all marked redelivery)");
    }

    private static Process StartDaemon(string config)
    {
        // The CLI built beside this test (same configuration): src/Edge.Cli/bin/<Configuration>/net10.0/edge.dll.
        string configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        string edge = Path.Combine(RepoPaths.Root, "src", "Edge.Cli", "bin", configuration, "net10.0", "edge.dll");
        Assert.True(File.Exists(edge), $"{edge} is not built");
        var start = new ProcessStartInfo("dotnet", ["exec", edge, "monitor", "--config", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var p = Process.Start(start) ?? throw new InvalidOperationException("edge monitor did not start");
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }
}
