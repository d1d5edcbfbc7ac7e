using Edge.Forecasting;
using Edge.Streams;

namespace Edge.Runtime.Tests.Forecasting;

/// <summary>The forecast procedure of models/aaren-reference/forecasting.py, and model.json's forecast object.</summary>
public sealed class ForecasterTests
{
    [Fact]
    public void Forecast_feeds_each_prediction_back_with_the_calendar_inputs_of_its_row()
    {
        using var dir = new TempFolder();
        var spec = Co2LikePackage.Spec(21);
        using var model = EdgeModel.Load(spec.WritePackage(dir.Path, editRoot: r => r["forecast"] = Co2LikePackage.Block()));
        var fs = ForecastSpec.For(model.Package, model.InputSize);
        int t = 300, horizon = 20;
        var start = new DateTime(1958, 3, 29);
        var times = Enumerable.Range(0, t).Select(i => start.AddDays(7 * i)).ToArray();   // no times past the data: extended weekly
        var history = Enumerable.Range(0, t).Select(i => 315 + 0.03 * i + 3 * Math.Sin(i / 8.3)).ToArray();

        var run = Forecaster.Run(model, fs, history, times, horizon);

        // forecasting.py's forecast(), written out: rows [y, sin, cos], y_{T+h} = v + out, fed back.
        float[] Row(float value, DateTime when)
        {
            double phi = (when - new DateTime(1958, 1, 1)).TotalDays / 365.2425;
            phi -= Math.Floor(phi);
            return [value, (float)Math.Sin(2 * Math.PI * phi), (float)Math.Cos(2 * Math.PI * phi)];
        }
        using var stream = model.CreateStream();
        var output = new float[1];
        for (int i = 0; i < t; i++) stream.Step(Row((float)history[i], times[i]), output);
        float value = (float)history[^1];
        for (int h = 0; h < horizon; h++)
        {
            value += output[0];
            Assert.Equal(value, run.Forecast[h]);
            Assert.Equal(start.AddDays(7 * (t + h)), run.Times![h]);
            stream.Step(Row(value, start.AddDays(7 * (t + h))), output);
        }
        Assert.True(float.IsNaN(run.OneStep[0]));
        Assert.Equal(t, run.OneStep.Length);

        // The same forecast from rows built beforehand (the packages' forecast/*.npy examples), value column NaN.
        var historyRows = Enumerable.Range(0, t).SelectMany(i => Row((float)history[i], times[i])).ToArray();
        var futureRows = Enumerable.Range(0, horizon).SelectMany(h => Row(float.NaN, start.AddDays(7 * (t + h)))).ToArray();
        Assert.Equal(run.Forecast, Forecaster.RunRows(model, historyRows, futureRows));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.98)]
    public void Lag_inputs_and_a_lag_base_follow_the_electricity_procedure(double damping)
    {
        // models/aaren-electricity: [demand_t, y[t+1−336], y[t−336], day sin/cos, week sin/cos], output added to
        // the first lag (the demand a week before the predicted step), damped by φ^h at forecast step h (from 0),
        // the damped forecast fed back.
        const int week = 336, day = 48;
        var spec = AarenSpec.Random(24, heads: 4, layers: 1);
        spec.InputDim = 7;
        spec.InputMean = [25000, 25000, 25000, 0, 0, 0, 0];
        spec.InputStd = [3000, 3000, 3000, 1, 1, 1, 1];
        spec.Add("in_proj.weight", [spec.DModel, 7], AarenSpec.Gauss(new Random(24), spec.DModel * 7, 0.4));
        spec.OutputDim = 1;
        spec.OutputMean = [0];
        spec.OutputStd = [500];
        spec.Add("head.weight", [1, spec.DModel], AarenSpec.Gauss(new Random(25), spec.DModel, 0.2));
        spec.Add("head.bias", [1], [0f]);
        var block = new Dictionary<string, object>
        {
            ["target"] = "delta", ["base_input"] = 1, ["season"] = week,
            ["inputs"] = new object[]
            {
                new { kind = "value" }, new { kind = "lag", offset = 1 - week }, new { kind = "lag", offset = -week },
                new { kind = "sin", clock = "row", period = day }, new { kind = "cos", clock = "row", period = day },
                new { kind = "sin", clock = "row", period = week }, new { kind = "cos", clock = "row", period = week },
            },
        };
        if (damping != 1) block["damping"] = damping;
        using var dir = new TempFolder();
        using var model = EdgeModel.Load(spec.WritePackage(dir.Path, editRoot: r => r["forecast"] = block));
        var fs = ForecastSpec.For(model.Package, model.InputSize);
        Assert.Equal(damping, fs.Damping);
        int t = 900, horizon = 60;
        var y = Enumerable.Range(0, t).Select(i => 25000 + 4000 * Math.Sin(2 * Math.PI * i / day) + 1000 * Math.Sin(2 * Math.PI * i / week)).ToArray();

        var run = Forecaster.Run(model, fs, y, null, horizon);

        var series = y.Select(v => (float)v).ToList();
        float[] Row(int i)
        {
            float Lag(int k) => i + k - week >= 0 ? series[i + k - week] : series[i];
            double pd = (double)(i % day) / day, pw = (double)(i % week) / week;
            return [series[i], Lag(1), Lag(0), (float)Math.Sin(2 * Math.PI * pd), (float)Math.Cos(2 * Math.PI * pd),
                (float)Math.Sin(2 * Math.PI * pw), (float)Math.Cos(2 * Math.PI * pw)];
        }
        using var stream = model.CreateStream();
        var output = new float[1];
        float[] row = [];
        for (int i = 0; i < t; i++) stream.Step(row = Row(i), output);
        float lastCorrection = 0;
        for (int h = 0; h < horizon; h++)
        {
            lastCorrection = (float)Math.Pow(damping, h) * output[0];
            float value = row[1] + lastCorrection;
            Assert.Equal(value, run.Forecast[h], 3);   // within 1e-3 MW: the row clocks' phases may round differently
            series.Add(value);
            stream.Step(row = Row(t + h), output);
        }
        // The last step's correction, at φ^59 = 0.30 for φ = 0.98, is tens of MW: damping visibly changes the forecast.
        Assert.True(Math.Abs(lastCorrection) > 5, $"correction {lastCorrection} MW at the last step");

        // The same forecast from prebuilt rows.
        var rows = Enumerable.Range(0, t + horizon).Select(Row).ToArray();
        var rowsForecast = Forecaster.RunRows(model, rows[..t].SelectMany(r => r).ToArray(), rows[t..].SelectMany(r => r).ToArray(),
            valueInput: 0, baseInput: 1, damping: damping);
        for (int h = 0; h < horizon; h++) Assert.Equal(run.Forecast[h], rowsForecast[h], 3);
    }

    [Fact]
    public void Row_clocks_count_data_rows_from_the_origin()
    {
        var daily = new ForecastInput(ForecastInputKind.Sin, ForecastClock.Row, 48, 0, default);
        Assert.Equal(0f, daily.Compute(0, default));
        Assert.Equal(1f, daily.Compute(12, default), 6);
        Assert.Equal(daily.Compute(5, default), daily.Compute(5 + 48 * 70, default), 5);
        var weekly = new ForecastInput(ForecastInputKind.Cos, ForecastClock.Row, 336, 168, default);
        Assert.Equal(-1f, weekly.Compute(0, default), 6);
    }

    [Fact]
    public void A_one_input_model_without_a_forecast_object_forecasts_the_value_alone()
    {
        using var dir = new TempFolder();
        var spec = AarenSpec.Random(22, heads: 1, layers: 1);
        spec.InputDim = 1;
        spec.InputMean = [0];
        spec.InputStd = [1];
        spec.Add("in_proj.weight", [spec.DModel, 1], AarenSpec.Gauss(new Random(1), spec.DModel, 1));
        using var model = EdgeModel.Load(spec.WritePackage(dir.Path));
        var fs = ForecastSpec.For(model.Package, 1);
        Assert.Equal(ForecastTarget.Delta, fs.Target);
        var run = Forecaster.Run(model, fs, [1.0, 2.0, 3.0], null, 4);
        Assert.Equal(4, run.Forecast.Length);
        Assert.Null(run.Times);
    }

    [Theory]
    [InlineData("none", "takes 3 inputs per step but model.json has no \"forecast\" object")]
    [InlineData("count", "'inputs' lists 2 columns but the model takes 3")]
    [InlineData("two-values", "exactly one input must have kind \"value\"")]
    [InlineData("no-time-column", "'time_column' must name the CSV's time column")]
    [InlineData("unknown-key", "unknown key 'horizon'")]
    [InlineData("bad-kind", "'kind' is 'tan'")]
    [InlineData("damping-above-one", "'damping' is 1.5; it must be in (0, 1]")]
    [InlineData("damping-zero", "'damping' is 0; it must be in (0, 1]")]
    [InlineData("damping-value-target", "a \"value\" target has none, so remove 'damping'")]
    public void A_forecast_object_that_does_not_fit_the_model_is_refused(string change, string message)
    {
        using var dir = new TempFolder();
        var block = (Dictionary<string, object>)Co2LikePackage.Block();
        var inputs = (object[])block["inputs"];
        switch (change)
        {
            case "count": block["inputs"] = inputs[..2]; break;
            case "two-values": block["inputs"] = new[] { inputs[0], inputs[0], inputs[2] }; break;
            case "no-time-column": block.Remove("time_column"); break;
            case "unknown-key": block["horizon"] = 5; break;
            case "bad-kind": block["inputs"] = new[] { inputs[0], new { kind = "tan", clock = "row", period = 4 }, inputs[2] }; break;
            case "damping-above-one": block["damping"] = 1.5; break;
            case "damping-zero": block["damping"] = 0; break;
            case "damping-value-target": block["damping"] = 0.9; block["target"] = "value"; break;
        }
        using var model = EdgeModel.Load(Co2LikePackage.Spec(23).WritePackage(dir.Path, editRoot: r => { if (change != "none") r["forecast"] = block; }));
        var e = Assert.Throws<EdgeException>(() => ForecastSpec.For(model.Package, model.InputSize));
        Assert.Contains(message, e.Message);
    }
}
