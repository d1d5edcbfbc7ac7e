using Edge.Forecasting;
using Edge.Runtime.Tests.Aaren;
using Edge.Runtime.Tests.Support;
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
        }
        using var model = EdgeModel.Load(Co2LikePackage.Spec(23).WritePackage(dir.Path, editRoot: r => { if (change != "none") r["forecast"] = block; }));
        var e = Assert.Throws<EdgeException>(() => ForecastSpec.For(model.Package, model.InputSize));
        Assert.Contains(message, e.Message);
    }
}
