using Edge.Streams;

namespace Edge.Forecasting;

/// <summary>
/// The multi-step forecast, as models/aaren-reference/forecasting.py's <c>forecast</c> defines it: run the model
/// over the history rows from the initial state (one step ahead), then for h = 1..H take
/// <c>ŷ_{T+h} = row[base] + φ^{h−1}·output</c> (target delta, φ the spec's damping, 1 by default; <c>output</c> for
/// target value), where row is the row just fed and base its value or lag input, and feed row T+h with its value
/// replaced by <c>ŷ_{T+h}</c> (its lags and calendar inputs are known) as the next row: each prediction is fed back
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
    /// <param name="startRow">First history row streamed (from a fresh state); rows before it only feed lag inputs.</param>
    public static ForecastRun Run(EdgeModel model, ForecastSpec spec, ReadOnlySpan<double> history, IReadOnlyList<DateTime>? times, int horizon, int startRow = 0)
    {
        int t = history.Length, f = model.InputSize;
        Fail.If(startRow < 0 || startRow >= t, EdgeErrorCode.InvalidInput,
            $"the history has {t} rows, so streaming must start at a row from 0 to {t - 1}; at least one row must be streamed before forecasting.");
        Fail.If(horizon < 1, EdgeErrorCode.InvalidArgument, "the horizon must be at least 1 step.");
        Fail.If(spec.Inputs.Count != f, EdgeErrorCode.InvalidPackage, $"the forecast spec builds {spec.Inputs.Count} inputs but the model takes {f}.");
        Fail.If(spec.NeedsTime && (times is null || times.Count < Math.Min(t, 2)), EdgeErrorCode.InvalidInput,
            "this model's calendar inputs count time, so every history row needs a timestamp (and two to extend past the data).");
        var rowTimes = times is null ? null : ExtendTimes(times, t + horizon);
        var series = new float[t + horizon];   // the values as fed: observed, then predicted (lags read it)
        for (int r = 0; r < t; r++) series[r] = (float)history[r];

        using var stream = model.CreateStream();
        var row = new float[f];
        var output = new float[model.OutputSize];
        var oneStep = new float[t];
        oneStep.AsSpan(0, startRow + 1).Fill(float.NaN);
        for (int r = startRow; r < t; r++)
        {
            Fill(spec, row, r, rowTimes, series);
            stream.Step(row, output);
            if (r + 1 < t) oneStep[r + 1] = Next(spec, row, output[0], 0);
        }
        var forecast = new float[horizon];
        for (int h = 0; h < horizon; h++)
        {
            forecast[h] = series[t + h] = Next(spec, row, output[0], h);
            if (h + 1 == horizon) break;
            Fill(spec, row, t + h, rowTimes, series);
            stream.Step(row, output);
        }
        return new ForecastRun(forecast, oneStep, rowTimes?[t..(t + horizon)]);
    }

    /// <summary>
    /// The same procedure on input rows already built (forecasting.py's <c>forecast(model, history, future, base_col)</c>):
    /// <paramref name="history"/> <c>[T, F]</c> rows fed as they are, <paramref name="future"/> <c>[H, F]</c> rows whose
    /// value input is replaced by each prediction before it is fed; <paramref name="damping"/> as the spec's. Returns the H forecasts.
    /// </summary>
    public static float[] RunRows(EdgeModel model, ReadOnlySpan<float> history, ReadOnlySpan<float> future, int valueInput = 0, int baseInput = 0,
        ForecastTarget target = ForecastTarget.Delta, double damping = 1.0)
    {
        Fail.If(!(damping > 0 && damping <= 1), EdgeErrorCode.InvalidArgument, $"damping is {damping}; it must be in (0, 1] (1: undamped).");
        int f = model.InputSize;
        Fail.If(history.Length == 0 || history.Length % f != 0 || future.Length % f != 0, EdgeErrorCode.InvalidInput,
            $"history and future must be whole rows of {f} inputs, and the history must not be empty.");
        int horizon = future.Length / f;
        using var stream = model.CreateStream();
        var output = new float[model.OutputSize];
        var row = new float[f];
        for (int r = 0; r < history.Length / f; r++)
        {
            history.Slice(r * f, f).CopyTo(row);
            stream.Step(row, output);
        }
        var forecast = new float[horizon];
        for (int h = 0; h < horizon; h++)
        {
            forecast[h] = Next(target, row[baseInput], output[0], damping, h);
            if (h + 1 == horizon) break;
            future.Slice(h * f, f).CopyTo(row);
            row[valueInput] = forecast[h];
            stream.Step(row, output);
        }
        return forecast;
    }

    private static float Next(ForecastSpec spec, float[] row, float output, int h) =>
        Next(spec.Target, row[spec.BaseInput], output, spec.Damping, h);

    // Forecast step h (from 0): base + φ^h·output for a delta target, φ^h in double rounded to float32 and the product in
    // float32 (forecasting.py's np.float32(damping ** h) * out); the output itself for a value target.
    private static float Next(ForecastTarget target, float baseValue, float output, double damping, int h) =>
        target != ForecastTarget.Delta ? output : baseValue + (damping == 1 ? output : (float)Math.Pow(damping, h) * output);

    private static void Fill(ForecastSpec spec, float[] row, int r, DateTime[]? times, float[] series)
    {
        for (int i = 0; i < row.Length; i++)
        {
            var input = spec.Inputs[i];
            row[i] = input.Kind switch
            {
                ForecastInputKind.Value => series[r],
                ForecastInputKind.Lag => r + input.Offset >= 0 ? series[r + input.Offset] : series[r],
                _ => input.Compute(r, times is null ? default : times[r]),
            };
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
            long ahead = count - times.Count;
            Fail.If(step.Ticks > (DateTime.MaxValue.Ticks - times[^1].Ticks) / ahead, EdgeErrorCode.InvalidArgument,
                $"{ahead} rows after {times[^1]:O} at the data's spacing of {step} go past the year 9999, the last date that can be written; forecast fewer rows.");
            for (int i = known; i < count; i++) all[i] = times[^1] + step * (i - times.Count + 1);
        }
        return all;
    }
}
