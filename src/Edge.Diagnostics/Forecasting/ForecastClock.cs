namespace Edge.Forecasting;

/// <summary>What a calendar input's phase counts.</summary>
public enum ForecastClock
{
    /// <summary>Rows: the 0-based data row plus an origin, period in rows (half-hours, weeks, ...).</summary>
    Row,
    /// <summary>Time: days since an origin date, read from the CSV's time column, period in days.</summary>
    Time,
}
