using System.Text;
using Edge.Monitor.Config;

namespace Edge.Fuzz.Targets;

/// <summary>The monitor daemon's JSON config, in a folder with a recording and a state folder's parent.</summary>
public sealed class MonitorConfigTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "monitor-config";

    /// <inheritdoc />
    public override string Parses => "MonitorConfigReader.Load (as a file beside unit.csv)";

    /// <inheritdoc />
    public override IEnumerable<FuzzSeed> Seeds(FuzzFixtures fixtures)
    {
        yield return new("csv-and-mqtt", Encoding.UTF8.GetBytes("""
            {
              "device": "laser-rig-1",
              "state_dir": "state",
              "checkpoint_interval_s": 30,
              "metrics": { "port": 9464 },
              "broker": { "host": "127.0.0.1", "port": 1883, "topic_prefix": "edge", "username": "rig", "password": "secret" },
              "streams": [
                { "name": "unit-037", "source": { "kind": "csv", "path": "unit.csv", "rate_hz": 50 }, "gap_s": 36000 },
                { "name": "bench-3", "source": { "kind": "mqtt", "topics": { "bias": "lab/b3/bias", "monitor": "lab/b3/monitor", "case_temp": "lab/b3/temp" } }, "silence_s": 60 }
              ]
            }
            """));
    }

    /// <inheritdoc />
    public override void Run(byte[] input, FuzzFixtures fixtures)
    {
        string folder = Path.Combine(fixtures.Scratch, "monitor");
        if (!File.Exists(Path.Combine(folder, "unit.csv"))) fixtures.WriteFile(Path.Combine("monitor", "unit.csv"), "time,bias_ma,monitor_ua,case_temp_c\n0,50,12,25\n"u8.ToArray());
        MonitorConfigReader.Load(fixtures.WriteFile(Path.Combine("monitor", "monitor.json"), input));
    }
}
