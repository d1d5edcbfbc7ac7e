namespace Edge.Monitor.Streams;

/// <summary>
/// Where a stream's alarm stands after a reading, kept in its checkpoint so that a restart coalesces as an uninterrupted
/// run does. <see cref="Since"/> and <see cref="LastRaised"/> are reading positions; -1 when not in alarm.
/// </summary>
/// <param name="Active">True while the stream is in alarm (raised, not yet cleared).</param>
/// <param name="Since">The position of the alert that opened the alarm.</param>
/// <param name="LastRaised">The position of the alarm's last alert (its opening, a "still_active" or an end of life).</param>
/// <param name="Quiet">Scored readings in a row below the threshold since the last flagged one.</param>
public readonly record struct AlarmState(bool Active, long Since, long LastRaised, int Quiet)
{
    /// <summary>Not in alarm.</summary>
    public static AlarmState Clear => new(false, -1, -1, 0);
}
