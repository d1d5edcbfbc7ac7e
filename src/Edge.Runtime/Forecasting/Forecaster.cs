using Edge.Streams;

namespace Edge.Forecasting;

/// <summary>
/// The multi-step forecast, as models/aaren-reference/forecasting.py's <c>forecast</c> defines it: run the model
/// over the history rows from the initial state (one step ahead), then for h = 1..H take
/// <c>ŷ_{T+h} = v + output</c> (target delta; <c>output</c> for target value), where v is the value of the row
/// just fed, and feed <c>[ŷ_{T+h}, calendar inputs of row T+h]</c> as the next row: each prediction is fed back
/// as the next step's observation, in float32.
/// </summary>
public static class Forecaster
{
    /// <summary>Forecasts <paramref name="horizon"/> rows after <paramref name="history"/>.</summary>
    /// <param name="model">The model; its input and output sizes must fit <paramref name="spec"/>.</param>
    /// <param name="spec">How rows are built.</param>
    /// <param name="history">Observed values, data rows 0..T−1.</param>
    /// <param name="times">Timestamps of data rows from 0 on, at least T of them when the spec or plots need time (rows past the end are extended by the last spacing); or null.</param>
    /// <param name="horizon">Rows to forecast.</param>
    public static ForecastRun Run(EdgeModel model, ForecastSpec spec, ReadOnlySpan<double> history, IReadOnlyList<DateTime>? times, int horizon)
    {
        int t = history.Length, f = model.InputSize;
        Fail.If(t < 1, EdgeErrorCode.InvalidInput, "the history is empty; at least one row must be streamed before forecasting.");
        Fail.If(horizon < 1, EdgeErrorCode.InvalidArgument, "the horizon must be at least 1 step.");
        Fail.If(spec.Inputs.Count != f, EdgeErrorCode.InvalidPackage, $"the forecast spec builds {spec.Inputs.Count} inputs but the model takes {f}.");
        Fail.If(spec.NeedsTime && (times is null || times.Count < Math.Min(t, 2)), EdgeErrorCode.InvalidInput,
            "this model's calendar inputs count time, so every history row needs a timestamp (and two to extend past the data).");
        var rowTimes = times is null ? null : ExtendTimes(times, t + horizon);
        int valueAt = spec.ValueInput;

        using var stream = model.CreateStream();
        var row = new float[f];
        var output = new float[model.OutputSize];
        var oneStep = new float[t];
        oneStep[0] = float.NaN;
        for (int r = 0; r < t; r++)
        {
            Fill(spec, row, r, rowTimes, (float)history[r]);
            stream.Step(row, output);
            if (r + 1 < t) oneStep[r + 1] = Next(spec, row[valueAt], output[0]);
        }
        var forecast = new float[horizon];
        float value = row[valueAt];
        for (int h = 0; h < horizon; h++)
        {
            value = Next(spec, value, output[0]);
            forecast[h] = value;
            if (h + 1 == horizon) break;
            Fill(spec, row, t + h, rowTimes, value);
            stream.Step(row, output);
        }
        return new ForecastRun(forecast, oneStep, rowTimes?[t..(t + horizon)]);
    }

    private static float Next(ForecastSpec spec, float value, float output) => spec.Target == ForecastTarget.Delta ? value + output : output;

    private static void Fill(ForecastSpec spec, float[] row, int r, DateTime[]? times, float value)
    {
        for (int i = 0; i < row.Length; i++)
        {
            var input = spec.Inputs[i];
            row[i] = input.Kind == ForecastInputKind.Value ? value : input.Compute(r, times is null ? default : times[r]);
        }
    }

    // Rows past the data continue at the spacing of the last two timestamps.
    private static DateTime[] ExtendTimes(IReadOnlyList<DateTime> times, int count)
    {
        var all = new DateTime[count];
        int known = Math.Min(times.Count, count);
        for (int i = 0; i < known; i++) all[i] = times[i];
        if (known < count)
        {
            Fail.If(times.Count < 2, EdgeErrorCode.InvalidInput, "two timestamps are needed to extend the time column past the data.");
            var step = times[^1] - times[^2];
            Fail.If(step <= TimeSpan.Zero, EdgeErrorCode.InvalidInput, $"the last two timestamps ({times[^2]:O}, {times[^1]:O}) do not increase, so the spacing of future rows is unknown.");
            for (int i = known; i < count; i++) all[i] = times[^1] + step * (i - times.Count + 1);
        }
        return all;
    }
}
