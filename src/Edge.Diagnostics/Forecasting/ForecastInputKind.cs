namespace Edge.Forecasting;

/// <summary>What one input column of a forecasting model holds.</summary>
public enum ForecastInputKind
{
    /// <summary>The observed value (a prediction once the forecast runs past the data).</summary>
    Value,
    /// <summary><c>sin(2π · phase)</c> of a calendar clock.</summary>
    Sin,
    /// <summary><c>cos(2π · phase)</c> of a calendar clock.</summary>
    Cos,
    /// <summary>The value <c>|offset|</c> rows before (offset &lt; 0): <c>y[t + offset]</c>, or <c>y[t]</c> while <c>t + offset &lt; 0</c>.</summary>
    Lag,
}
