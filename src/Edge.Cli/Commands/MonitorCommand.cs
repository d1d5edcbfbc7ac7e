using Edge.Cli.Arguments;
using Edge.Monitor.Config;
using Edge.Monitor.Hosting;

namespace Edge.Cli.Commands;

/// <summary>
/// <c>edge monitor --config FILE [--check-config]</c>: runs the monitoring daemon until SIGTERM or Ctrl-C (under systemd
/// as Type=notify with the watchdog), or with <c>--check-config</c> only reads and checks the config and says what it would run.
/// </summary>
internal static class MonitorCommand
{
    public static int Run(string[] args, TextWriter stdout)
    {
        var a = ParsedArguments.Parse("monitor", args);
        a.ExpectPositionals(0);
        var config = MonitorConfigReader.Load(a.Required("--config"));
        if (a.Flag("--check-config"))
        {
            stdout.WriteLine($"monitor config ok: device {config.Device}, {config.Streams.Count} streams ({string.Join(", ", config.Streams.Select(s => $"{s.Name}: {s.Source.Kind}"))}), broker {config.Broker.Host}:{config.Broker.Port}{(config.Broker.Tls is null ? "" : " (TLS)")}, state in {config.StateDir}, metrics {(config.Metrics.Port > 0 ? $"http://127.0.0.1:{config.Metrics.Port}/metrics" : "off")}");
            return 0;
        }
        MonitorHost.RunAsync(config, PdmCommand.DefaultModels).GetAwaiter().GetResult();
        return 0;
    }
}
