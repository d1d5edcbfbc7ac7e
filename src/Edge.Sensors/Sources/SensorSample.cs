namespace Edge.Sensors;

/// <summary>
/// One read of one channel: when, which channel, the value and its status. The value is finite by construction:
/// a failed read carries 0 and a failure status, so a NaN never reaches a model.
/// </summary>
public readonly struct SensorSample
{
    /// <summary>Creates a sample; a non-finite value, or any value with a failure status, is stored as 0 and a non-finite one turns the status into <see cref="SensorStatus.InvalidData"/>.</summary>
    public SensorSample(DateTimeOffset timestamp, int channel, double value, SensorStatus status)
    {
        if (!double.IsFinite(value))
        {
            value = 0;
            if (status is SensorStatus.Ok or SensorStatus.OutOfRange) status = SensorStatus.InvalidData;
        }
        // OutOfRange keeps its clipped reading (a real bound); every other failure carries no value.
        if (status is not (SensorStatus.Ok or SensorStatus.OutOfRange)) value = 0;
        Timestamp = timestamp;
        Channel = channel;
        Value = value;
        Status = status;
    }

    /// <summary>When the value was measured (for a replay: the file's time; for a missed period: when the read was due).</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The index of the channel in the source's <see cref="ISensorSource.Channels"/>.</summary>
    public int Channel { get; }

    /// <summary>The measurement in the channel's unit; 0 unless <see cref="Status"/> is Ok or OutOfRange.</summary>
    public double Value { get; }

    /// <summary>Whether the value is a good measurement, and if not why.</summary>
    public SensorStatus Status { get; }

    /// <summary>True when <see cref="Status"/> is <see cref="SensorStatus.Ok"/>.</summary>
    public bool IsOk => Status == SensorStatus.Ok;

    /// <inheritdoc />
    public override string ToString() => $"{Timestamp:O} ch{Channel} {Value} {Status}";
}
