using System.Globalization;
using Edge.Cli.Arguments;
using Edge.Cli.Plots;
using Edge.Formats.Csv;
using Edge.Forecasting;
using Edge.Streams;

namespace Edge.Cli.Commands;

/// <summary>
/// <c>edge forecast PKG --csv FILE [--column C] [--horizon N] [--holdout N] [--start-row N] [--missing interpolate|error]
/// [--plot OUT.png] [--json]</c>: streams all rows but the held-out ones through the model one step ahead, forecasts
/// the next N rows by feeding predictions back, and compares them with the held-out truth.
/// </summary>
internal static class ForecastCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var a = ParsedArguments.Parse("forecast", args);
        string pkg = a.Positional(0, "PKG (a model package folder or zip)");
        a.ExpectPositionals(1);
        string csvPath = a.Required("--csv");
        var missing = a.Choice("--missing", "interpolate", "interpolate", "error") == "error" ? CsvMissingValues.Error : CsvMissingValues.Interpolate;
        string? plot = a.OutputPath("--plot");
        if (plot is not null && !plot.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"forecast: --plot writes a PNG; name a file ending in .png, got '{plot}'.");
        bool json = a.Flag("--json");
        var backend = BackendChoice.From(a, stderr, pkg);

        using var model = EdgeModel.Load(pkg, BackendChoice.LoadOptions(backend, a, pkg));
        var spec = ForecastSpec.For(model.Package, model.InputSize);
        int horizon = (int)a.Long("--horizon", spec.Season ?? 24, 1, 10_000_000);
        int holdout = (int)a.Long("--holdout", horizon, 0, 10_000_000);
        int startRow = (int)a.Long("--start-row", 0, 0, 1_000_000_000);

        var csv = CsvTable.Read(csvPath);
        string? timeName = a.Value("--time-column") ?? spec.TimeColumn;
        int? timeColumn = timeName is null ? null : csv.Column(timeName);
        int valueColumn = ValueColumn(csv, a.Value("--column") ?? spec.ValueColumn, timeColumn);
        Fail(csv.RowCount - holdout < 1,
            $"{csvPath}: {csv.RowCount} data rows leave no history once the last {holdout} are held out; lower --holdout (or --horizon).");
        var numbers = csv.Numbers(valueColumn, missing);
        var times = timeColumn is { } tc ? csv.Times(tc, spec.TimeFormat) : null;
        int t = csv.RowCount - holdout;

        Fail(startRow >= t, $"{csvPath}: --start-row {startRow} leaves nothing to stream before the {t}-row history ends; lower it.");
        var run = Forecaster.Run(model, spec, numbers.Values.AsSpan(0, t), times, horizon, startRow);
        int known = Math.Min(horizon, holdout);
        var truth = numbers.Values[t..(t + known)];
        double? mae = known > 0 ? truth.Select((y, i) => Math.Abs(run.Forecast[i] - y)).Average() : null;
        int? season = spec.Season;
        double? naiveMae = known > 0 && season is { } s && t >= s
            ? truth.Select((y, i) => Math.Abs(numbers.Values[t + i - (int)Math.Ceiling((i + 1.0) / s) * s] - y)).Average()
            : null;
        int lastRows = Math.Min(t - 1 - startRow, season ?? horizon);
        double? oneStepMae = lastRows > 0 ? Enumerable.Range(t - lastRows, lastRows).Select(r => Math.Abs(run.OneStep[r] - numbers.Values[r])).Average() : null;
        string valueName = csv.Header[valueColumn];

        if (plot is not null)
        {
            int span = Math.Max(3 * (season ?? 0), 3 * horizon);
            ForecastPlot.Save(plot, $"{Path.GetFileName(Path.TrimEndingDirectorySeparator(pkg))}: {horizon}-step forecast of {valueName}",
                valueName, numbers.Values[..t], Math.Max(startRow, t - span), run.Forecast, known > 0 ? truth : null,
                times is null ? null : [.. times[..t], .. run.Times!]);
        }

        if (json)
        {
            stdout.WriteLine(JsonOutput.Serialize(new
            {
                model = pkg, csv = csvPath, column = valueName, rows = csv.RowCount, interpolated_rows = numbers.Filled.Count,
                history_rows = t, start_row = startRow, horizon, holdout, season, damping = spec.Damping, mae, seasonal_naive_mae = naiveMae, one_step_mae = oneStepMae, one_step_rows = lastRows,
                forecast = run.Forecast.Select((v, i) => new
                {
                    step = i + 1, row = t + i, time = run.Times is null ? null : run.Times[i].ToString("s", CultureInfo.InvariantCulture),
                    forecast = v, truth = i < known ? truth[i] : (double?)null,
                }),
                plot,
            }));
            return 0;
        }
        var c = CultureInfo.InvariantCulture;
        stdout.WriteLine($"model     {pkg} ({model.Family}, {model.BackendName})");
        stdout.WriteLine($"data      {csvPath}: {csv.RowCount} rows, column '{valueName}'{(timeColumn is { } tcol ? $", time column '{csv.Header[tcol]}'" : "")}"
            + (numbers.Filled.Count > 0 ? $", {numbers.Filled.Count} missing values interpolated" : ""));
        string oneStepText = oneStepMae is { } o ? string.Create(c, $"; one-step MAE over the last {lastRows}: {o:G6}") : "";
        stdout.WriteLine($"history   {t - startRow} rows streamed one step ahead{(startRow > 0 ? $" (from row {startRow}; earlier rows feed lags only)" : "")}{oneStepText}");
        string dampingText = spec.Damping != 1 ? string.Create(c, $", the model's correction damped by {spec.Damping:G6}^h at step h+1") : "";
        stdout.WriteLine($"forecast  {horizon} steps, each prediction fed back as the next observation{dampingText}; {known} held-out rows to compare");
        stdout.WriteLine();
        string timeFormat = times is not null && times.All(x => x.TimeOfDay == TimeSpan.Zero) ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm";
        stdout.WriteLine(times is null ? "   step      row      forecast         truth         error"
            : $"   step  {"time".PadRight(timeFormat.Length)}      forecast         truth         error");
        for (int i = 0; i < horizon; i++)
        {
            string when = times is null ? string.Create(c, $"{t + i,8}") : "  " + run.Times![i].ToString(timeFormat, c);
            string tail = i < known ? string.Create(c, $"{truth[i],14:G8}{run.Forecast[i] - truth[i],14:G5}") : "";
            stdout.WriteLine(string.Create(c, $"{i + 1,7} {when}{run.Forecast[i],14:G8}{tail}"));
        }
        stdout.WriteLine();
        if (mae is { } m)
        {
            string naiveText = naiveMae is { } n ? string.Create(c, $" (seasonal naive, season {season}: {n:G6})") : "";
            stdout.WriteLine(string.Create(c, $"MAE       {m:G6} over {known} held-out rows{naiveText}"));
        }
        if (plot is not null) stdout.WriteLine($"plot      {plot}");
        return 0;
    }

    private static int ValueColumn(CsvTable csv, string? named, int? timeColumn)
    {
        if (named is not null) return csv.Column(named);
        var candidates = Enumerable.Range(0, csv.Header.Count).Where(i => i != timeColumn).ToList();
        if (candidates.Count == 1) return candidates[0];
        throw new UsageException($"forecast: {csv.Name} has columns {MessageText.List(csv.Header)}; name the one to forecast with --column.");
    }

    private static void Fail(bool condition, string message)
    {
        if (condition) throw new EdgeException(EdgeErrorCode.InvalidInput, message);
    }
}
