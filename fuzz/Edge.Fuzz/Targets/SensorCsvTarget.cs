using System.Text;
using Edge.Sensors.Replay;

namespace Edge.Fuzz.Targets;

/// <summary>A sensor recording replayed as a source (the monitor daemon's and <c>edge pdm</c>'s CSV input), read to its end.</summary>
public sealed class SensorCsvTarget : FuzzTarget
{
    private static readonly CsvReplayOptions Options = new() { Pace = ReplayPace.AsFastAsPossible };

    /// <inheritdoc />
    public override string Name => "sensor-csv";

    /// <inheritdoc />
    public override string Parses => "CsvReplaySource, every sample read";

    /// <inheritdoc />
    public override IEnumerable<FuzzSeed> Seeds(FuzzFixtures fixtures)
    {
        yield return new("three-channels", Encoding.UTF8.GetBytes("time,bias_ma,monitor_ua,case_temp_c\n0,50.1,12.5,25.0\n1,50.2,12.4,25.1\n2,,12.3,25.1\n"));
        yield return new("one-channel", Encoding.UTF8.GetBytes("time,x\n0.0,1\n0.5,NaN\n1.0,3\n"));
    }

    /// <inheritdoc />
    public override void Run(byte[] input, FuzzFixtures fixtures)
    {
        using var source = new CsvReplaySource(new StreamReader(new MemoryStream(input, writable: false), Encoding.UTF8), "fuzz.csv", Options);
        for (int i = 0; i < 1_000_000 && source.TryRead(out _); i++)
        {
        }
    }
}
