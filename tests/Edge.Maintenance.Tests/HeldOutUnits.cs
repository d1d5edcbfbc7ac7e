using System.Globalization;
using Edge.Maintenance.Laser;
using Edge.Maintenance.Pipeline;
using Edge.Maintenance.Replay;

namespace Edge.Maintenance.Tests;

/// <summary>The committed held-out aging runs and their labels (models/laser-aging/data), and the three laser models loaded once.</summary>
public static class HeldOutUnits
{
    /// <summary>One row of labels.csv.</summary>
    public sealed record Label(int Unit, string Split, double AnomalyHours, double EndOfLifeHours, bool SuddenFailure);

    public static readonly int[] Test = [17, 18, 19, 20, 37, 38, 39, 40, 57, 58, 59, 60];

    private static readonly Lazy<MaintenanceModels> LazyModels = new(() => MaintenanceModels.LoadFolder(Path.Combine(RepoPaths.Root, "models")));

    private static readonly Lazy<Dictionary<int, Label>> LazyLabels = new(ReadLabels);

    /// <summary>The laser models, shared by every test (they are immutable).</summary>
    public static MaintenanceModels Models => LazyModels.Value;

    public static Label Of(int unit) => LazyLabels.Value[unit];

    public static string Csv(int unit) => Path.Combine(RepoPaths.Root, "models", "laser-aging", "data", Of(unit).Split, $"unit_{unit:000}.csv");

    /// <summary>Every frame of a unit's CSV, read through the replay source and the frame reader the pipeline's users use.</summary>
    public static LaserReading[] Readings(int unit)
    {
        using var source = LaserRunCsv.Open(Csv(unit));
        var frames = new LaserFrameReader(source);
        var list = new List<LaserReading>();
        while (frames.TryRead(out var r)) list.Add(r);
        return [.. list];
    }

    public static double Hours(DateTimeOffset t) => (t - DateTimeOffset.UnixEpoch).TotalHours;

    private static Dictionary<int, Label> ReadLabels()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "models", "laser-aging", "data", "labels.csv"));
        var header = lines[0].Split(',');
        int Col(string name) => Array.IndexOf(header, name);
        var result = new Dictionary<int, Label>();
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            double D(string name) => double.Parse(cells[Col(name)], CultureInfo.InvariantCulture);
            int unit = int.Parse(cells[Col("unit_id")], CultureInfo.InvariantCulture);
            result[unit] = new Label(unit, cells[Col("split")], D("anomaly_h"), D("eol_h"), cells[Col("end_reason")] == "sudden_failure");
        }
        return result;
    }
}
