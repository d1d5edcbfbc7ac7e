using System.Text.Json;

namespace Edge.Cli.Tests;

/// <summary>edge forecast on the committed CO2 model and its real CSV (statsmodels' co2.csv, public domain).</summary>
public class ForecastCo2Tests
{
    [Fact]
    public void A_one_year_forecast_reproduces_the_reference_error_and_beats_seasonal_naive()
    {
        string pkg = Path.Combine(RepoPaths.Root, "models", "aaren-co2");
        using var tmp = new TempFolder();
        string plot = tmp.File("co2.png");
        var r = CliRunner.Run("forecast", pkg, "--csv", Path.Combine(pkg, "co2.csv"), "--horizon", "52", "--plot", plot, "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        var j = doc.RootElement;
        Assert.Equal(2284, j.GetProperty("rows").GetInt32());
        Assert.Equal(59, j.GetProperty("interpolated_rows").GetInt32());
        Assert.Equal(52, j.GetProperty("forecast").GetArrayLength());
        // models/aaren-co2/README: 52-week forecast from the last origin, MAE 0.6024 ppm (PyTorch reference).
        Assert.InRange(j.GetProperty("mae").GetDouble(), 0.600, 0.605);
        Assert.True(j.GetProperty("mae").GetDouble() < 0.5 * j.GetProperty("seasonal_naive_mae").GetDouble());
        var png = File.ReadAllBytes(plot);
        Assert.True(png.Length > 10_000);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
    }
}
