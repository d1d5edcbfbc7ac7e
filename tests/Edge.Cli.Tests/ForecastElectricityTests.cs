using System.Globalization;
using System.Text.Json;
using Edge.Formats.Npy;

namespace Edge.Cli.Tests;

/// <summary>
/// edge forecast on the committed electricity model, from a CSV rebuilt out of its forecast/ example (the demand
/// column of history.npy, then truth.npy): the one-week forecast must reproduce the PyTorch reference's error, with
/// the package's damping applied.
/// </summary>
public class ForecastElectricityTests
{
    [Fact]
    public void A_one_week_forecast_from_the_csv_reproduces_the_reference_error()
    {
        string pkg = Path.Combine(RepoPaths.Root, "models", "aaren-electricity");
        var history = NpyFile.Read(Path.Combine(pkg, "forecast", "history.npy"));
        var truth = NpyFile.Read(Path.Combine(pkg, "forecast", "truth.npy")).Data;
        int f = history.Shape[1], rows = history.Shape[0];
        using var tmp = new TempFolder();
        string csv = tmp.File("taylor.csv");
        var lines = new List<string> { "demand" };
        for (int r = 0; r < rows; r++) lines.Add(history.Data[r * f].ToString("R", CultureInfo.InvariantCulture));
        lines.AddRange(truth.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        File.WriteAllLines(csv, lines);

        var r0 = CliRunner.Run("forecast", pkg, "--csv", csv, "--horizon", "336", "--json");
        Assert.True(r0.ExitCode == 0, r0.Stderr);
        using var doc = JsonDocument.Parse(r0.Stdout);
        var j = doc.RootElement;
        using var model = JsonDocument.Parse(File.ReadAllText(Path.Combine(pkg, "model.json")));
        var root = model.RootElement;
        double damping = root.GetProperty("forecast").TryGetProperty("damping", out var d) ? d.GetDouble() : 1.0;
        double reference = root.GetProperty("provenance").GetProperty("checks").GetProperty("forecast_example_mae").GetDouble();

        Assert.Equal(4032, j.GetProperty("rows").GetInt32());
        Assert.Equal(336, j.GetProperty("forecast").GetArrayLength());
        Assert.Equal(damping, j.GetProperty("damping").GetDouble());
        // Built from the CSV, the lag and calendar inputs round like the Python rows to within 0.01 MW (aaren README).
        Assert.InRange(j.GetProperty("mae").GetDouble(), reference - 0.05, reference + 0.05);
    }
}
