using System.Text.Json;
using Edge.Formats.Npy;
using Edge.Forecasting;
using Edge.Streams;

namespace Edge.Runtime.Tests.Forecasting;

/// <summary>
/// models/aaren-electricity over its held-out test weeks, the way its README scores it: from every origin from the last
/// training half-hour to the last whose 336 targets are all observed, a one-week forecast (predictions fed back, the
/// package's damping), against weekly seasonal naive. The runtime must reproduce metrics.json and beat seasonal naive.
/// </summary>
public sealed class ElectricityTestWeeksTests
{
    [Fact]
    public void Week_ahead_forecasts_over_the_test_weeks_beat_seasonal_naive_as_metrics_json_says()
    {
        string folder = Path.Combine(AarenGoldenPackages.RepositoryRoot, "models", "aaren-electricity");
        using var model = EdgeModel.Load(folder);
        var spec = ForecastSpec.For(model.Package, model.InputSize);
        var history = NpyFile.Read(Path.Combine(folder, "forecast", "history.npy"));
        var future = NpyFile.Read(Path.Combine(folder, "forecast", "future.npy"));
        var truthTail = NpyFile.Read(Path.Combine(folder, "forecast", "truth.npy")).Data;
        int f = model.InputSize, known = history.Rows, n = known + future.Rows;
        var rows = new float[n * f];
        history.Data.CopyTo(rows, 0);
        future.Data.CopyTo(rows, known * f);
        var y = new double[n];
        for (int r = 0; r < n; r++) y[r] = r < known ? rows[r * f] : truthTail[r - known];
        for (int r = known; r < n; r++) rows[r * f] = (float)y[r];   // the observed rows, as train.py's X
        const int week = 336, testStart = 4032 - 2 * week;
        Assert.Equal(4032, n);

        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json")));
        var expected = metrics.RootElement.GetProperty("horizon_336");
        Assert.Equal(expected.GetProperty("damping").GetDouble(), spec.Damping);

        using var stream = model.CreateStream();
        var output = new float[1];
        var row = new float[f];
        double modelError = 0, naiveError = 0;
        int count = 0;
        for (int t = 0; t <= n - 1 - week; t++)
        {
            stream.Step(rows.AsSpan(t * f, f), output);
            if (t < testStart - 1) continue;
            // Origin t: forecast rows t+1 .. t+336 from a fork of the stream.
            using var fork = stream.Fork();
            var o = new float[1] { output[0] };
            rows.AsSpan(t * f, f).CopyTo(row);
            for (int h = 0; h < week; h++)
            {
                float value = row[spec.BaseInput] + (float)Math.Pow(spec.Damping, h) * o[0];
                modelError += Math.Abs(value - y[t + 1 + h]);
                naiveError += Math.Abs(y[t + 1 + h - week] - y[t + 1 + h]);
                count++;
                if (h + 1 == week) break;
                rows.AsSpan((t + 1 + h) * f, f).CopyTo(row);
                row[0] = value;
                fork.Step(row, o);
            }
        }

        Assert.Equal(expected.GetProperty("origins").GetInt32() * week, count);
        double mae = modelError / count, naive = naiveError / count;
        Assert.Equal(expected.GetProperty("snaive_mae").GetDouble(), naive, 3);
        // float32 here against PyTorch's float32 batched steps: within 0.05 MW of metrics.json's 439.6 MW.
        Assert.InRange(mae, expected.GetProperty("model_mae").GetDouble() - 0.05, expected.GetProperty("model_mae").GetDouble() + 0.05);
        Assert.True(mae < naive, $"week-ahead MAE {mae:F1} MW is not below seasonal naive's {naive:F1} MW");
    }
}
