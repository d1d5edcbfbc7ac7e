using Edge.Forecasting;
using Edge.Streams;

namespace Edge.Runtime.Tests.Forecasting;

/// <summary>Forecast horizons on a dated series that would run past the last date .NET can represent.</summary>
public sealed class ForecastHorizonTests
{
    [Fact]
    public void Forecast_horizon_600000_on_a_dated_series_is_InvalidArgument()
    {
        using var dir = new TempFolder();
        using var model = EdgeModel.Load(Co2LikePackage.Spec(21).WritePackage(dir.Path, editRoot: r => r["forecast"] = Co2LikePackage.Block()));
        var fs = ForecastSpec.For(model.Package, model.InputSize);
        var start = new DateTime(1958, 3, 29);
        var times = Enumerable.Range(0, 50).Select(i => start.AddDays(7 * i)).ToArray();
        var history = Enumerable.Range(0, 50).Select(i => 315 + 0.03 * i).ToArray();

        // Weekly rows: 600,000 weeks is about 11,500 years past 1959.
        var e = Assert.Throws<EdgeException>(() => Forecaster.Run(model, fs, history, times, 600_000));
        Assert.Equal(EdgeErrorCode.InvalidArgument, e.Code);
        Assert.Contains("600000 rows after 1959-03-07", e.Message);
        Assert.Contains("year 9999", e.Message);

        // Near the end of the calendar, the furthest horizon that still fits is accepted and one more row is not.
        var late = Enumerable.Range(0, 50).Select(i => new DateTime(9990, 1, 1).AddDays(7 * i)).ToArray();
        int fits = (int)((DateTime.MaxValue - late[^1]).Ticks / TimeSpan.FromDays(7).Ticks);
        Assert.Equal(EdgeErrorCode.InvalidArgument, Assert.Throws<EdgeException>(() => Forecaster.Run(model, fs, history, late, fits + 1)).Code);
        var run = Forecaster.Run(model, fs, history, late, fits);
        Assert.Equal(late[^1].AddDays(7.0 * fits), run.Times![^1]);
    }
}
