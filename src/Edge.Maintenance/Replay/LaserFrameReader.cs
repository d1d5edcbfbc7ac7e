using Edge.Maintenance.Laser;
using Edge.Sensors;

namespace Edge.Maintenance.Replay;

/// <summary>
/// Reads <see cref="LaserReading"/>s from a polled sensor source whose three channels are, in order, the bias current,
/// the monitor current and the case temperature (a CSV replay, or the I2C adapters behind one source). A frame whose
/// channels are not all Ok carries the first failure status and its channel, for the pipeline to reject.
/// </summary>
public sealed class LaserFrameReader
{
    private readonly ISensorSource _source;

    /// <summary>Reads frames from <paramref name="source"/> (not owned), which must have exactly three channels.</summary>
    public LaserFrameReader(ISensorSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Fail.If(source.Channels.Count != 3, EdgeErrorCode.InvalidArgument,
            $"the source has {source.Channels.Count} channels ({MessageText.List(source.Channels.Select(c => c.Name))}); a laser frame is three: bias current, monitor current, case temperature, in that order.");
        _source = source;
    }

    /// <summary>Reads the next frame; false at the end of the source's data (<see cref="SensorStatus.EndOfData"/>). Allocates nothing.</summary>
    public bool TryRead(out LaserReading reading)
    {
        _source.TryRead(out var bias);
        if (bias.Status == SensorStatus.EndOfData)
        {
            reading = default;
            return false;
        }
        _source.TryRead(out var monitor);
        _source.TryRead(out var temperature);
        var status = SensorStatus.Ok;
        int fault = -1;
        if (!bias.IsOk) (status, fault) = (bias.Status, 0);
        else if (!monitor.IsOk) (status, fault) = (monitor.Status, 1);
        else if (!temperature.IsOk) (status, fault) = (temperature.Status, 2);
        reading = new LaserReading(bias.Timestamp, bias.Value, monitor.Value, temperature.Value, status, fault);
        return true;
    }
}
