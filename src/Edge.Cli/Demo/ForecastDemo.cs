using System.Globalization;
using Edge.Streams;

namespace Edge.Cli.Demo;

/// <summary>
/// The time-series demo: the Aaren model trained on Mauna Loa CO2 streams 43 years of weekly
/// readings and forecasts the held-out last year, against the seasonal-naive forecast.
/// </summary>
internal static class ForecastDemo
{
    public static bool Run(TextWriter o)
    {
        var c = CultureInfo.InvariantCulture;
        string dir = DemoModels.Extract("aaren-co2");
        using var model = EdgeModel.Load(dir);
        o.WriteLine($"aaren-co2: Aaren (attention as an RNN) forecaster of weekly Mauna Loa CO2, {model.State.Bytes} bytes of state whatever the length");
        string csv = Path.Combine(dir, "co2.csv");
        string plot = Path.Combine(Path.GetTempPath(), "edge-demo-co2-forecast.png");
        var r = CliForecast(dir, csv, plot);
        bool ok = r.Mae < r.Naive;
        o.WriteLine(string.Create(c, $"  forecast       last 52 weeks from {r.History} weeks of history: MAE {r.Mae:F3} ppm vs seasonal naive {r.Naive:F3} ppm {DemoChecks.Verdict(ok)}"));
        o.WriteLine($"  plot           {plot}");
        return ok;
    }

    private static (double Mae, double Naive, int History) CliForecast(string dir, string csv, string plot)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = EdgeCommandLine.Run(["forecast", dir, "--csv", csv, "--horizon", "52", "--plot", plot, "--json"], stdout, stderr);
        if (code != 0) throw new EdgeException(EdgeErrorCode.InvalidInput, $"demo forecast failed: {stderr.ToString().Trim()}");
        using var doc = System.Text.Json.JsonDocument.Parse(stdout.ToString());
        var j = doc.RootElement;
        return (j.GetProperty("mae").GetDouble(), j.GetProperty("seasonal_naive_mae").GetDouble(), j.GetProperty("history_rows").GetInt32());
    }
}
