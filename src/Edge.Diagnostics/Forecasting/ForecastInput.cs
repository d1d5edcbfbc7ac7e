namespace Edge.Forecasting;

/// <summary>
/// One input column of a forecasting model: the value, a lagged value, or a sine/cosine of a calendar
/// phase, <c>phase = frac((position − origin) / period)</c> with position the row index or the time in days.
/// </summary>
/// <param name="Kind">Value, lag, sin or cos.</param>
/// <param name="Clock">What the phase counts (sin/cos only).</param>
/// <param name="Period">Rows or days per cycle (sin/cos only).</param>
/// <param name="RowOrigin">Row clock: the position of data row 0 (0 unless the series starts mid-cycle).</param>
/// <param name="TimeOrigin">Time clock: the moment where the phase is 0.</param>
/// <param name="Offset">Lag: rows from the current one to the value taken (negative).</param>
public sealed record ForecastInput(ForecastInputKind Kind, ForecastClock Clock, double Period, double RowOrigin, DateTime TimeOrigin, int Offset = 0)
{
    /// <summary>The plain value input.</summary>
    public static ForecastInput Value { get; } = new(ForecastInputKind.Value, ForecastClock.Row, 1, 0, default);

    /// <summary>A lag input: <c>y[t + offset]</c>, or <c>y[t]</c> while <c>t + offset &lt; 0</c>.</summary>
    public static ForecastInput Lag(int offset) => new(ForecastInputKind.Lag, ForecastClock.Row, 1, 0, default, offset);

    /// <summary>A calendar input's value at data row <paramref name="row"/> (time <paramref name="time"/>), computed in double as the training scripts do.</summary>
    public float Compute(long row, DateTime time)
    {
        double position = Clock == ForecastClock.Row ? row + RowOrigin : (time - TimeOrigin).TotalDays;
        double phase = position / Period;
        phase -= Math.Floor(phase);
        double angle = 2 * Math.PI * phase;
        return (float)(Kind == ForecastInputKind.Sin ? Math.Sin(angle) : Math.Cos(angle));
    }
}
