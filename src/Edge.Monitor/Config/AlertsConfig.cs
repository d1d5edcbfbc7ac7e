namespace Edge.Monitor.Config;

/// <summary>
/// How a stream's repeated alerts are coalesced, counted in readings (a reading's position in its source), never in wall
/// time, so that a replay after a restart raises exactly the alerts an uninterrupted run would.
/// </summary>
public sealed class AlertsConfig
{
    /// <summary>While a stream stays in alarm, at most one "still_active" alert per this many readings after its last; 0 = none.</summary>
    public int RepeatEvery { get; init; } = 100;

    /// <summary>Scored readings in a row below the detector's threshold that clear an alarm (one "cleared" alert).</summary>
    public int ClearAfter { get; init; } = 12;
}
