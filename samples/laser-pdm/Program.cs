using System.Globalization;
using Edge;
using Edge.Maintenance.Pipeline;
using Edge.Samples.LaserPdm;

// laser-pdm: replays held-out laser aging runs through the predictive-maintenance pipeline and prints its alerts.
// Usage: LaserPdm MODELS_DIR RUN.csv [RUN.csv …]   (MODELS_DIR holds laser-predictor, laser-detector, laser-rul)
//        add --all-alerts to print every flagged reading, not only the first of each run of them.
var c = CultureInfo.InvariantCulture;
bool allAlerts = args.Contains("--all-alerts");
var positional = args.Where(a => a != "--all-alerts").ToArray();
if (positional.Length < 2)
{
    Console.Error.WriteLine("usage: LaserPdm MODELS_DIR RUN.csv [RUN.csv …] [--all-alerts]");
    return 2;
}
try
{
    using var models = MaintenanceModels.LoadFolder(positional[0]);
    Console.WriteLine(string.Create(c, $"pipeline: predictor every reading, detector (threshold {models.Threshold:G5}, window {models.DetectorWindow}), RUL from the first flag (fed the last {models.RulWarmup})"));
    foreach (var csv in positional[1..])
    {
        bool previousWasAlert = false;
        var result = UnitReplay.Run(models, csv, step =>
        {
            double h = UnitReplay.Hours(step.Reading.Time)!.Value;
            if (step.Kind == MaintenanceStepKind.Rejected) Console.WriteLine(string.Create(c, $"  {h,8:F1} h  rejected: {step.Problem}"));
            if (step.IsEndOfLife) Console.WriteLine(string.Create(c, $"  {h,8:F1} h  END OF LIFE: corrected bias {step.CorrectedBias:P1} above the first day's"));
            // A run of consecutive flags prints once, at its start, unless every alert is asked for.
            if (step.IsAlert && (allAlerts || !previousWasAlert || step.IsFirstDetection))
            {
                string rul = step.RulHours is { } r ? string.Create(c, $"RUL {r,7:F0} h") : "";
                Console.WriteLine(string.Create(c, $"  {h,8:F1} h  {(step.IsFirstDetection ? "ANOMALY" : "alert  ")}  score {step.Score,7:F3} > {step.Threshold:F3}  {rul}"));
            }
            if (step.Kind == MaintenanceStepKind.Scored) previousWasAlert = step.IsAlert;
        });
        string first = result.FirstAlertHours is { } f ? string.Create(c, $"first alert {f:F0} h (RUL estimate {result.RulAtFirstAlertHours:F0} h)") : "no alert";
        string eol = result.EndOfLifeHours is { } e ? string.Create(c, $", end of life {e:F0} h") : ", end of life not reached";
        Console.WriteLine(string.Create(c, $"{result.Unit}: {result.Samples} readings, {result.Rejected} rejected, {result.Alerts} flagged; {first}{eol}"));
    }
    return 0;
}
catch (EdgeException e)
{
    Console.Error.WriteLine($"laser-pdm: {e.Message}");
    return 2;
}
