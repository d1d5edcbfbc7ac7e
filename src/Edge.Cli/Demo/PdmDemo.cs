using System.Globalization;
using Edge.Cli.Commands;
using Edge.Maintenance.Laser;
using Edge.Maintenance.Pipeline;
using Edge.Maintenance.Replay;

namespace Edge.Cli.Demo;

/// <summary>
/// The predictive-maintenance demo: held-out aging run unit 37 (never seen in training) replayed through the pipeline;
/// when the detector fired against the unit's true end of life, the RUL estimates against the truth, and a run cut
/// through the pipeline's state file against the uninterrupted one.
/// </summary>
internal static class PdmDemo
{
    private const int Unit = 37;

    public static bool Run(TextWriter o)
    {
        var c = CultureInfo.InvariantCulture;
        using var models = PdmCommand.DefaultModels();
        string dir = DemoModels.Extract("laser-aging");
        var (anomaly, endOfLife, setTemp) = Label(Path.Combine(dir, "labels.csv"));
        var readings = Read(Path.Combine(dir, $"unit_{Unit:000}.csv"));
        o.WriteLine(string.Create(c, $"laser pdm: predictor, cae detector and RUL chained on held-out aging run {Unit} ({setTemp:F0} °C, never seen in training), {readings.Length} readings from CSV"));

        using var whole = new MaintenancePipeline(models);
        var steps = readings.Select(r => whole.Step(r)).ToArray();
        var first = steps.First(s => s.IsFirstDetection);
        double firstH = Hours(first.Reading.Time), lead = endOfLife - firstH;
        bool firedAhead = lead > 0;
        o.WriteLine(string.Create(c, $"  detector fired {firstH:F0} h; true end of life {endOfLife:F1} h: {lead:F0} h ahead (labelled anomaly {anomaly:F1} h) {DemoChecks.Verdict(firedAhead)}"));

        var estimates = steps.Where(s => s.RulHours is not null && Hours(s.Reading.Time) <= endOfLife).ToList();
        double mae = estimates.Average(s => Math.Abs(s.RulHours!.Value - (endOfLife - Hours(s.Reading.Time))));
        o.WriteLine(string.Create(c, $"  RUL            {first.RulHours:F0} h estimated at the first alert, {lead:F0} h true; MAE {mae:F1} h over the {estimates.Count} estimates to end of life"));
        double eolError = Hours(whole.EndOfLifeAt!.Value) - endOfLife;
        bool eolOk = Math.Abs(eolError) <= 20;
        o.WriteLine(string.Create(c, $"  end of life    confirmed at {Hours(whole.EndOfLifeAt.Value):F0} h ({eolError:+0.0;-0.0} h from the true one) {DemoChecks.Verdict(eolOk)}"));

        // Cut the run well after the first alert (the RUL model is running), save, resume in a fresh pipeline.
        int cut = (int)first.Sample + 100;
        string file = Path.Combine(Path.GetTempPath(), $"edge-demo-pdm-{Environment.ProcessId}.pdmstate");
        bool same;
        try
        {
            using var before = new MaintenancePipeline(models);
            var resumed = readings[..cut].Select(r => before.Step(r)).ToList();
            before.SaveState(file);
            using var after = new MaintenancePipeline(models);
            after.LoadState(file);
            resumed.AddRange(readings[cut..].Select(r => after.Step(r)));
            same = resumed.Zip(steps).All(p => Same(p.First, p.Second)) && after.Alerts == whole.Alerts;
            o.WriteLine(string.Create(c, $"  state file     cut at reading {cut}, {new FileInfo(file).Length} bytes, resumed: {after.Alerts} alerts, every answer bit-identical to the uninterrupted run {DemoChecks.Verdict(same)}"));
        }
        finally
        {
            File.Delete(file);
        }
        return firedAhead && eolOk && same;
    }

    private static bool Same(in MaintenanceStep a, in MaintenanceStep b) =>
        a.Kind == b.Kind && a.IsAlert == b.IsAlert && a.IsFirstDetection == b.IsFirstDetection && a.IsEndOfLife == b.IsEndOfLife
        && BitConverter.SingleToInt32Bits(a.Score) == BitConverter.SingleToInt32Bits(b.Score)
        && Nullable.Equals(a.RulHours, b.RulHours) && Nullable.Equals(a.PredictedNext, b.PredictedNext);

    private static LaserReading[] Read(string csv)
    {
        using var source = LaserRunCsv.Open(csv);
        var frames = new LaserFrameReader(source);
        var list = new List<LaserReading>();
        while (frames.TryRead(out var r)) list.Add(r);
        return [.. list];
    }

    private static (double Anomaly, double EndOfLife, double SetTemp) Label(string labels)
    {
        var lines = File.ReadAllLines(labels);
        var header = lines[0].Split(',');
        var row = lines.Skip(1).Select(l => l.Split(',')).Single(r => r[Array.IndexOf(header, "unit_id")] == Unit.ToString(CultureInfo.InvariantCulture));
        double D(string name) => double.Parse(row[Array.IndexOf(header, name)], CultureInfo.InvariantCulture);
        return (D("anomaly_h"), D("eol_h"), D("set_temp_c"));
    }

    private static double Hours(DateTimeOffset t) => (t - DateTimeOffset.UnixEpoch).TotalHours;
}
