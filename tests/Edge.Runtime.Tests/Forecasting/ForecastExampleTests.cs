using Edge.Formats.Npy;
using Edge.Forecasting;
using Edge.Streams;
using Xunit.Abstractions;

namespace Edge.Runtime.Tests.Forecasting;

/// <summary>
/// The trained forecasting packages ship forecast/history.npy, future.npy and expected.npy (written by
/// models/aaren-reference/export_forecaster.py with forecasting.forecast in float32): the runtime's forecast of
/// the same rows must reproduce it to 1e-4 of the series' scale.
/// </summary>
public sealed class ForecastExampleTests(ITestOutputHelper log)
{
    public static TheoryData<string> Packages()
    {
        var data = new TheoryData<string>();
        foreach (var p in AarenGoldenPackages.All().Where(p => File.Exists(Path.Combine(AarenGoldenPackages.RepositoryRoot, p, "forecast", "expected.npy"))))
            data.Add(p);
        if (data.Count == 0) data.Add("");   // no exported forecasting package in this checkout yet
        return data;
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void Forecast_of_the_example_rows_reproduces_the_reference(string package)
    {
        if (package.Length == 0) return;
        string folder = Path.Combine(AarenGoldenPackages.RepositoryRoot, package);
        using var model = EdgeModel.Load(folder);
        var history = NpyFile.Read(Path.Combine(folder, "forecast", "history.npy"));
        var future = NpyFile.Read(Path.Combine(folder, "forecast", "future.npy"));
        var expected = NpyFile.Read(Path.Combine(folder, "forecast", "expected.npy")).Data;
        var spec = model.Package.GetSection(ForecastSpec.Key) is not null ? ForecastSpec.For(model.Package, model.InputSize) : null;
        int baseInput = spec is not null ? spec.BaseInput
            : model.Package.Provenance is { } p && p.TryGetProperty("forecast", out var f) && f.TryGetProperty("base_column", out var b) ? b.GetInt32() : 0;

        var forecast = Forecaster.RunRows(model, history.Data, future.Data, valueInput: 0, baseInput: baseInput, damping: spec?.Damping ?? 1.0);

        double scale = Math.Max(1, expected.Average(v => Math.Abs((double)v)));
        var truth = NpyFile.Read(Path.Combine(folder, "forecast", "truth.npy")).Data;
        log.WriteLine($"{package}: {expected.Length} steps, max |edge − reference| = {expected.Select((e, h) => Math.Abs(forecast[h] - e)).Max():G3}, "
            + $"MAE vs truth {truth.Select((y, h) => Math.Abs(forecast[h] - y)).Average():G5}");
        for (int h = 0; h < expected.Length; h++)
            Assert.True(Math.Abs(forecast[h] - expected[h]) <= 1e-4 * scale, $"{package} step {h + 1}: edge {forecast[h]}, reference {expected[h]}");
    }
}
