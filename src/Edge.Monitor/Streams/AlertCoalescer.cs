using Edge.Maintenance.Pipeline;

namespace Edge.Monitor.Streams;

/// <summary>
/// Decides which of a stream's pipeline steps raise an alert, so that a stream stuck in alarm does not raise one per
/// reading. On the readings alone (never wall time), hence the same after a crash and a replay from a checkpoint:
/// <list type="bullet">
/// <item>the first flagged reading while not in alarm opens it: "anomaly" (the detector's first flag of the run) or "alert";</item>
/// <item>while in alarm, a flagged reading at least <c>repeatEvery</c> readings after the alarm's last alert raises "still_active";</item>
/// <item><c>clearAfter</c> scored readings in a row below the threshold close it: "cleared" on the last of them;</item>
/// <item>end of life is always raised ("end_of_life"); in alarm it counts as the alarm's last alert.</item>
/// </list>
/// Rejected and referencing readings change nothing. Allocates nothing.
/// </summary>
public sealed class AlertCoalescer
{
    private readonly int _repeatEvery, _clearAfter;
    private AlarmState _state = AlarmState.Clear;

    /// <summary>Coalesces with at most one "still_active" per <paramref name="repeatEvery"/> readings (0: none) and <paramref name="clearAfter"/> quiet readings to clear.</summary>
    public AlertCoalescer(int repeatEvery, int clearAfter)
    {
        Fail.If(repeatEvery < 0, EdgeErrorCode.InvalidArgument, $"repeatEvery is {repeatEvery}; give 0 (no repeats) or more.");
        Fail.If(clearAfter < 1, EdgeErrorCode.InvalidArgument, $"clearAfter is {clearAfter}; give 1 or more.");
        _repeatEvery = repeatEvery;
        _clearAfter = clearAfter;
    }

    /// <summary>The alarm after the last reading (saved in checkpoints, set when one is restored).</summary>
    public AlarmState State
    {
        get => _state;
        set => _state = value;
    }

    /// <summary>
    /// The kind of alert <paramref name="step"/> (the reading at <paramref name="position"/>) raises, or null for none;
    /// <paramref name="since"/> is the position that opened the alarm it belongs to (-1 outside one).
    /// </summary>
    public string? Next(in MaintenanceStep step, long position, out long since)
    {
        since = _state.Since;
        if (step.Kind != MaintenanceStepKind.Scored) return null;
        var s = _state;
        string? kind = null;
        if (step.IsEndOfLife)
        {
            // Always raised; it never clears an alarm, and in one it counts as the alarm's last alert.
            if (s.Active) s = s with { LastRaised = position, Quiet = step.IsAlert ? 0 : s.Quiet + 1 };
            else if (step.IsAlert) s = new AlarmState(true, position, position, 0);
            kind = "end_of_life";
        }
        else if (step.IsAlert)
        {
            if (!s.Active)
            {
                s = new AlarmState(true, position, position, 0);
                kind = step.IsFirstDetection ? "anomaly" : "alert";
            }
            else
            {
                s = s with { Quiet = 0 };
                if (_repeatEvery > 0 && position - s.LastRaised >= _repeatEvery)
                {
                    s = s with { LastRaised = position };
                    kind = "still_active";
                }
            }
        }
        else if (s.Active)
        {
            s = s with { Quiet = s.Quiet + 1 };
            if (s.Quiet >= _clearAfter)
            {
                s = AlarmState.Clear;
                kind = "cleared";
            }
        }
        if (s.Active) since = s.Since;
        _state = s;
        return kind;
    }
}
