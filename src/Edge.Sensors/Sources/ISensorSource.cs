namespace Edge.Sensors;

/// <summary>
/// A pull-based source of sensor samples. A polled source (an I2C chip, a replayed file) yields the channels in turn
/// (channel 0, 1, … then 0 again), so C calls read one frame of C channels; a push source (MQTT) yields samples in
/// arrival order, each with its channel, and <see cref="SensorStatus.NoData"/> when none is waiting. <see cref="TryRead"/> never throws for a device fault or a bad
/// value: the fault is the sample's status. (A replayed file whose structure is broken, such as a row with missing cells
/// or a time that goes backwards, ends the replay with an <see cref="EdgeException"/> naming the line.)
/// </summary>
public interface ISensorSource : IDisposable
{
    /// <summary>The channels this source yields, in the order <see cref="TryRead"/> cycles through them.</summary>
    IReadOnlyList<SensorChannel> Channels { get; }

    /// <summary>
    /// Reads the next sample. Returns true when it is a good measurement (<see cref="SensorStatus.Ok"/>); otherwise
    /// false, and the sample still says when, which channel and why (its value is then 0, never NaN).
    /// </summary>
    bool TryRead(out SensorSample sample);
}
