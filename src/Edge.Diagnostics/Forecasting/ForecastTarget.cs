namespace Edge.Forecasting;

/// <summary>What the model's first output predicts.</summary>
public enum ForecastTarget
{
    /// <summary>The change to the next step: <c>ŷ_{t+1} = y_t + output_t</c>.</summary>
    Delta,
    /// <summary>The next value itself: <c>ŷ_{t+1} = output_t</c>.</summary>
    Value,
}
