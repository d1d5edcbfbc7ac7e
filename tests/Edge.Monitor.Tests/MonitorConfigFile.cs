using System.Text.Json;

namespace Edge.Monitor.Tests;

/// <summary>Writes a monitor config for a test into its own temp folder (state under it).</summary>
public static class MonitorConfigFile
{
    public static string Write(string folder, int brokerPort, int metricsPort, IEnumerable<(string Name, string Csv, double RateHz)> streams, object? tls = null,
        string? username = null, string? password = null, double checkpointS = 0.5, double reconnectS = 0.3, int workers = 0,
        int? repeatEvery = null, int? clearAfter = null, int? memoryAlerts = null)
    {
        var config = new Dictionary<string, object?>
        {
            ["device"] = "rig",
            ["models"] = ReferenceAlerts.ModelsFolder,
            ["state_dir"] = Path.Combine(folder, "state"),
            ["checkpoint_interval_s"] = checkpointS,
            ["workers"] = workers,
            ["metrics"] = new { port = metricsPort },
            ["alerts"] = new Dictionary<string, object?> { ["repeat_every"] = repeatEvery, ["clear_after"] = clearAfter }.Where(kv => kv.Value is not null).ToDictionary(),
            ["outbox"] = new Dictionary<string, object?> { ["memory_alerts"] = memoryAlerts }.Where(kv => kv.Value is not null).ToDictionary(),
            ["broker"] = new Dictionary<string, object?>
            {
                ["host"] = "127.0.0.1", ["port"] = brokerPort, ["reconnect_s"] = reconnectS, ["keep_alive_s"] = 5,
                ["tls"] = tls, ["username"] = username, ["password"] = password,
            }.Where(kv => kv.Value is not null).ToDictionary(),
            ["streams"] = streams.Select(s => new { name = s.Name, source = new { kind = "csv", path = s.Csv, rate_hz = s.RateHz } }).ToArray(),
        };
        string path = Path.Combine(folder, "monitor.json");
        File.WriteAllText(path, JsonSerializer.Serialize(config));
        return path;
    }

    public static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        int port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
