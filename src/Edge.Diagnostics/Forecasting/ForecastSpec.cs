using System.Globalization;
using System.Text.Json;
using Edge.Packages;

namespace Edge.Forecasting;

/// <summary>
/// How <c>edge forecast</c> turns a CSV into a model's input rows and its outputs into forecasts: model.json's
/// optional <c>"forecast"</c> object (the format is in src/Edge.Runtime/Families/Aaren/README.md). A model with
/// one input and no such object is read as the value alone, predicting the change to the next step.
/// </summary>
/// <param name="Inputs">One per model input, in order; exactly one is the value.</param>
/// <param name="ValueColumn">CSV column of the value when the command line names none.</param>
/// <param name="TimeColumn">CSV column of the timestamps (needed by time clocks; used for plots).</param>
/// <param name="TimeFormat">.NET custom format of the timestamps ("yyyyMMdd"); ISO 8601 when null.</param>
/// <param name="Target">What the model's first output predicts.</param>
/// <param name="Season">Rows per season, for the default horizon, plots and the seasonal-naive baseline.</param>
/// <param name="BaseInput">Target delta: the input the output is added to (the value by default; a lag for a seasonal difference).</param>
/// <param name="Damping">Target delta: φ in (0, 1]; the h-th step of a multi-step forecast (h = 0 for the first) adds <c>φ^h · output</c>
/// to the base, so the model's correction fades towards the base (the seasonal-naive value for a lag base). 1: undamped.</param>
public sealed record ForecastSpec(
    IReadOnlyList<ForecastInput> Inputs, string? ValueColumn, string? TimeColumn, string? TimeFormat, ForecastTarget Target, int? Season, int BaseInput,
    double Damping = 1.0)
{
    /// <summary>The model input that holds the value.</summary>
    public int ValueInput => Inputs.Select((x, i) => (x, i)).First(p => p.x.Kind == ForecastInputKind.Value).i;

    /// <summary>True when some input's phase counts time, so the CSV must have a time column.</summary>
    public bool NeedsTime => Inputs.Any(x => x.Kind is ForecastInputKind.Sin or ForecastInputKind.Cos && x.Clock == ForecastClock.Time);

    /// <summary>The top-level model.json key of the forecast object (declared by the aaren family).</summary>
    public const string Key = "forecast";

    /// <summary>Reads the package's forecast object, checked against the model's input count.</summary>
    public static ForecastSpec For(ModelPackage package, int inputSize)
    {
        if (package.GetSection(Key) is not { } block)
        {
            Fail.If(inputSize != 1, EdgeErrorCode.InvalidPackage,
                $"{package.Path}: the model takes {inputSize} inputs per step but model.json has no \"forecast\" object saying how to build them from a CSV; add one (see the aaren README).");
            return new ForecastSpec([ForecastInput.Value], null, null, null, ForecastTarget.Delta, null, 0);
        }
        string where = $"{package.Path}/model.json forecast";
        var c = new ModelConfig(block, where);
        string? valueColumn = c.Has("value_column") ? c.String("value_column") : null;
        string? timeColumn = c.Has("time_column") ? c.String("time_column") : null;
        string? timeFormat = c.Has("time_format") ? c.String("time_format") : null;
        var target = c.StringOr("target", "delta", "delta", "value") == "value" ? ForecastTarget.Value : ForecastTarget.Delta;
        int? season = c.Has("season") ? c.Int("season", 1, 1 << 24) : null;
        int? baseInput = c.Has("base_input") ? c.Int("base_input", 0, 1 << 16) : null;
        double damping = c.Has("damping") ? Number(c.Element("damping"), where, "damping") : 1.0;
        Fail.If(!(damping > 0 && damping <= 1), EdgeErrorCode.InvalidPackage, $"{where}: 'damping' is {damping}; it must be in (0, 1] (1: undamped).");
        Fail.If(damping != 1 && target != ForecastTarget.Delta, EdgeErrorCode.InvalidPackage,
            $"{where}: 'damping' fades the correction a \"delta\" target adds to its base; a \"value\" target has none, so remove 'damping'.");
        var items = c.Element("inputs");
        Fail.If(items.ValueKind != JsonValueKind.Array, EdgeErrorCode.InvalidPackage, $"{where}: 'inputs' must be an array with one entry per model input.");
        c.EnsureNoUnknownKeys();
        var inputs = new List<ForecastInput>();
        int i = 0;
        foreach (var item in items.EnumerateArray())
        {
            Fail.If(item.ValueKind != JsonValueKind.Object, EdgeErrorCode.InvalidPackage, $"{where}: inputs[{i}] must be an object such as {{\"kind\": \"value\"}}.");
            inputs.Add(ReadInput(new ModelConfig(item, $"{where} inputs[{i}]"), $"{where} inputs[{i}]"));
            i++;
        }
        Fail.If(inputs.Count != inputSize, EdgeErrorCode.InvalidPackage, $"{where}: 'inputs' lists {inputs.Count} columns but the model takes {inputSize} per step.");
        Fail.If(inputs.Count(x => x.Kind == ForecastInputKind.Value) != 1, EdgeErrorCode.InvalidPackage, $"{where}: exactly one input must have kind \"value\".");
        int valueInput = inputs.FindIndex(x => x.Kind == ForecastInputKind.Value);
        Fail.If(baseInput is { } b && (b >= inputs.Count || inputs[b].Kind is not (ForecastInputKind.Value or ForecastInputKind.Lag)), EdgeErrorCode.InvalidPackage,
            $"{where}: 'base_input' {baseInput} must index a \"value\" or \"lag\" input.");
        var spec = new ForecastSpec(inputs, valueColumn, timeColumn, timeFormat, target, season, baseInput ?? valueInput, damping);
        Fail.If(spec.NeedsTime && timeColumn is null, EdgeErrorCode.InvalidPackage, $"{where}: an input uses clock \"time\", so 'time_column' must name the CSV's time column.");
        return spec;
    }

    private static ForecastInput ReadInput(ModelConfig c, string where)
    {
        string kind = c.String("kind", "value", "lag", "sin", "cos");
        if (kind == "value")
        {
            c.EnsureNoUnknownKeys();
            return ForecastInput.Value;
        }
        if (kind == "lag")
        {
            int offset = c.Int("offset", -(1 << 24), -1);
            c.EnsureNoUnknownKeys();
            return ForecastInput.Lag(offset);
        }
        string clock = c.String("clock", "row", "time");
        double period = Number(c.Element("period"), where, "period");
        Fail.If(!(period > 0), EdgeErrorCode.InvalidPackage, $"{where}: 'period' is {period}; it must be positive.");
        double rowOrigin = 0;
        DateTime timeOrigin = default;
        if (clock == "row")
        {
            if (c.Has("origin")) rowOrigin = Number(c.Element("origin"), where, "origin");
        }
        else
        {
            var o = c.Element("origin");
            Fail.If(o.ValueKind != JsonValueKind.String || !DateTime.TryParse(o.GetString(), CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out timeOrigin),
                EdgeErrorCode.InvalidPackage, $"{where}: 'origin' must be an ISO 8601 date such as \"1958-01-01\" for clock \"time\".");
        }
        c.EnsureNoUnknownKeys();
        return new ForecastInput(kind == "sin" ? ForecastInputKind.Sin : ForecastInputKind.Cos,
            clock == "row" ? ForecastClock.Row : ForecastClock.Time, period, rowOrigin, timeOrigin);
    }

    // Periods like 365.2425 days need double precision (ModelConfig reads float32).
    private static double Number(JsonElement e, string where, string key) =>
        e.ValueKind == JsonValueKind.Number && double.IsFinite(e.GetDouble()) ? e.GetDouble()
            : Fail.With<double>(EdgeErrorCode.InvalidPackage, $"{where}: '{key}' must be a finite number, found {e}.");
}
