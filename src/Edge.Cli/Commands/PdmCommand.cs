using System.Globalization;
using System.Text.Json;
using Edge.Cli.Arguments;
using Edge.Cli.Demo;
using Edge.Cli.Plots;
using Edge.Maintenance.Pipeline;
using Edge.Maintenance.Replay;
using Edge.Sensors;
using Edge.Streams;

namespace Edge.Cli.Commands;

/// <summary>
/// <c>edge pdm --csv RUN.csv [--models DIR] [--json] [--plot OUT.png] [--state-in F] [--state-out F]</c>: replays a laser
/// aging run through the predictive-maintenance pipeline (predictor, detector, RUL) and prints each alert with its time,
/// score and RUL estimate; rejected readings are printed with why, a broken file stops with one line naming its line.
/// </summary>
internal static class PdmCommand
{
    // JSON lines: one compact object per line, the same snake_case keys as the other commands' --json.
    private static readonly JsonSerializerOptions Lines = new(JsonOutput.Options) { WriteIndented = false };

    /// <summary>The embedded default models, as the demo unpacks them.</summary>
    public static MaintenanceModels DefaultModels() => DefaultModels(null);

    /// <summary>The embedded default models, loaded with <paramref name="options"/> (a precision).</summary>
    public static MaintenanceModels DefaultModels(EdgeModelOptions? options) => MaintenanceModels.Load(
        DemoModels.Extract(MaintenanceModels.PredictorFolder), DemoModels.Extract(MaintenanceModels.DetectorFolder), DemoModels.Extract(MaintenanceModels.RulFolder), options);

    public static int Run(string[] args, TextWriter stdout)
    {
        var a = ParsedArguments.Parse("pdm", args);
        a.ExpectPositionals(0);
        string csv = a.Required("--csv");
        // Every output is checked before any work, so a typo in a folder costs nothing.
        string? plot = a.OutputPath("--plot");
        if (plot is not null && !plot.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"pdm: --plot writes a PNG; name a file ending in .png, got '{MessageText.Value(plot, 200)}'.");
        string? stateOut = a.OutputPath("--state-out");
        string? stateIn = a.Value("--state-in");
        if (stateIn is not null && !File.Exists(stateIn))
            throw new UsageException($"pdm: --state-in '{MessageText.Value(stateIn, 200)}' does not exist; give a file written by --state-out.");
        if (!File.Exists(csv))
            throw new UsageException($"pdm: --csv '{MessageText.Value(csv, 200)}' does not exist.");
        bool json = a.Flag("--json");
        string? modelsDir = a.Value("--models");

        var options = BackendChoice.CpuOptions(a, null);
        using var models = modelsDir is null ? DefaultModels(options) : MaintenanceModels.LoadFolder(modelsDir, options);
        using var pipeline = new MaintenancePipeline(models);
        if (stateIn is not null) pipeline.LoadState(stateIn);
        long alertsBefore = pipeline.Alerts;
        bool hours = LaserRunCsv.HasHoursColumn(csv);
        var series = plot is null ? null : new PdmPlot.Series();
        float? rulAtFirst = null;
        long readings = 0;
        var c = CultureInfo.InvariantCulture;

        if (!json)
        {
            stdout.WriteLine(string.Create(c, $"pdm: {csv} through laser-predictor (every reading), laser-detector (threshold {models.Threshold:G5}, window {models.DetectorWindow}), laser-rul (from the first alert, fed the last {models.RulWarmup})"));
            if (stateIn is not null) stdout.WriteLine($"resumed from {stateIn}: {pipeline.Samples} readings, {pipeline.Alerts} alerts so far");
        }
        using (var source = LaserRunCsv.Open(csv))
        {
            var frames = new LaserFrameReader(source);
            while (frames.TryRead(out var reading))
            {
                readings++;
                var step = pipeline.Step(reading);
                string when = hours ? string.Create(c, $"{Hours(reading.Time),9:F1} h") : reading.Time.ToString("yyyy-MM-dd HH:mm:ss", c);
                if (step.Kind == MaintenanceStepKind.Rejected)
                {
                    // A bad cell's own message names the line and column; other refusals say why in the pipeline's words.
                    string problem = reading.Status == SensorStatus.InvalidData && source.LastProblem is { } p ? p : $"{Path.GetFileName(csv)} line {source.Line}: {step.Problem}";
                    if (json) stdout.WriteLine(JsonSerializer.Serialize(new { @event = "rejected", line = source.Line, time = Iso(reading.Time), time_h = Hours(reading.Time), reason = step.Rejection.ToString(), problem }, Lines));
                    else stdout.WriteLine($"{when}  rejected  {problem}");
                    continue;
                }
                if (step.Kind != MaintenanceStepKind.Scored) continue;
                series?.Add(Hours(reading.Time), step);
                if (step.IsFirstDetection) rulAtFirst = step.RulHours;
                if (step.IsAlert)
                {
                    if (json)
                    {
                        stdout.WriteLine(JsonSerializer.Serialize(new
                        {
                            @event = "alert", line = source.Line, time = Iso(reading.Time), time_h = Hours(reading.Time), score = step.Score, threshold = step.Threshold,
                            rul_h = step.RulHours, first = step.IsFirstDetection, rel_bias = step.RelativeBias,
                        }, Lines));
                    }
                    else
                    {
                        string rul = step.RulHours is { } r ? string.Create(c, $"RUL {r,7:F0} h") : "";
                        stdout.WriteLine(string.Create(c, $"{when}  {(step.IsFirstDetection ? "ANOMALY" : "alert  ")}  score {step.Score,7:F3} > {step.Threshold:F3}  {rul}"));
                    }
                }
                if (step.IsEndOfLife)
                {
                    if (json) stdout.WriteLine(JsonSerializer.Serialize(new { @event = "end_of_life", line = source.Line, time = Iso(reading.Time), time_h = Hours(reading.Time), rel_bias_tc = step.CorrectedBias }, Lines));
                    else stdout.WriteLine(string.Create(c, $"{when}  END OF LIFE  temperature-corrected bias {step.CorrectedBias:P1} above the first day's; the predictor stops"));
                }
            }
        }

        if (stateOut is not null) pipeline.SaveState(stateOut);
        if (plot is not null) PdmPlot.Save(plot, $"{Path.GetFileName(csv)}: predictive-maintenance pipeline", series!, models.Threshold);
        double? firstAlert = pipeline.DetectedAt is { } d ? Hours(d) : null;
        double? endOfLife = pipeline.EndOfLifeAt is { } e ? Hours(e) : null;
        if (json)
        {
            stdout.WriteLine(JsonSerializer.Serialize(new
            {
                @event = "summary", csv, readings, accepted = pipeline.Samples, rejected = pipeline.Rejected, alerts = pipeline.Alerts - alertsBefore,
                first_alert = pipeline.DetectedAt is { } fa ? Iso(fa) : null, first_alert_h = firstAlert, rul_at_first_alert_h = rulAtFirst,
                end_of_life = pipeline.EndOfLifeAt is { } eol ? Iso(eol) : null, end_of_life_h = endOfLife, state_out = stateOut, plot,
            }, Lines));
            return 0;
        }
        string At(DateTimeOffset t) => hours ? string.Create(c, $"{Hours(t):F1} h") : t.ToString("yyyy-MM-dd HH:mm:ss", c);
        stdout.WriteLine();
        stdout.WriteLine($"readings     {readings} in this file, {pipeline.Samples} accepted in the run, {pipeline.Rejected} rejected");
        stdout.WriteLine($"alerts       {pipeline.Alerts - alertsBefore} in this file");
        stdout.WriteLine(pipeline.DetectedAt is { } first
            ? string.Create(c, $"anomaly      first alert at {At(first)}{(rulAtFirst is { } ra ? $", RUL estimate there {ra:F0} h" : " (before this file)")}")
            : "anomaly      none detected");
        stdout.WriteLine(pipeline.EndOfLifeAt is { } end ? $"end of life  confirmed at {At(end)}" : "end of life  not reached");
        if (stateOut is not null) stdout.WriteLine($"state        {stateOut}");
        if (plot is not null) stdout.WriteLine($"plot         {plot}");
        return 0;
    }

    private static double Hours(DateTimeOffset t) => (t - DateTimeOffset.UnixEpoch).TotalHours;

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
