namespace Edge.Forecasting;

/// <summary>What <see cref="Forecaster.Run"/> produced.</summary>
/// <param name="Forecast">The forecasts of the <c>horizon</c> rows after the history.</param>
/// <param name="OneStep">One-step-ahead predictions over the history: entry t predicts row t from the rows streamed before it (NaN up to the first streamed row).</param>
/// <param name="Times">Timestamps of the forecast rows (from the data, then extended by the last spacing), or null without a time column.</param>
public sealed record ForecastRun(float[] Forecast, float[] OneStep, DateTime[]? Times);
