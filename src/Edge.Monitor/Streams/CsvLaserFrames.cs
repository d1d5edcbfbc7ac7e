using Edge.Maintenance.Laser;
using Edge.Maintenance.Replay;
using Edge.Sensors.Replay;

namespace Edge.Monitor.Streams;

/// <summary>
/// A CSV aging run replayed frame by frame (the stream paces it); a resumed stream skips the readings its checkpoint had.
/// Looping, it starts the file again at its end with every time shifted on by the run's length plus its last interval,
/// so the times keep rising and positions keep counting: an endless sensor for a soak test.
/// </summary>
public sealed class CsvLaserFrames : ILaserFrames
{
    private readonly string _path;
    private readonly bool _loop;
    private readonly long _length;
    private readonly TimeSpan _shift;
    private CsvReplaySource _source;
    private LaserFrameReader _frames;
    private TimeSpan _offset;

    /// <summary>Opens <paramref name="path"/> and skips its first <paramref name="skip"/> readings (counting every lap when <paramref name="loop"/>).</summary>
    public CsvLaserFrames(string path, long skip, bool loop = false)
    {
        _path = path;
        _loop = loop;
        if (loop)
        {
            // One pass to learn the lap: its length in readings and the shift that puts the next lap after this one.
            (_length, _shift) = Lap(path);
            if (_length > 0)
            {
                _offset = _shift * (skip / _length);
                skip %= _length;
            }
        }
        (_source, _frames) = Open(path);
        for (long i = 0; i < skip && _frames.TryRead(out _); i++) { }
    }

    /// <inheritdoc />
    public FrameRead TryRead(out LaserReading reading)
    {
        if (_frames.TryRead(out reading))
        {
            if (_offset != TimeSpan.Zero) reading = reading with { Time = reading.Time + _offset };
            return FrameRead.Frame;
        }
        if (!_loop || _length == 0) return FrameRead.End;
        _source.Dispose();
        (_source, _frames) = Open(_path);
        _offset += _shift;
        return TryRead(out reading);
    }

    /// <inheritdoc />
    public string? LastProblem => _source.LastProblem;

    /// <inheritdoc />
    public long Dropped => 0;

    private static (CsvReplaySource, LaserFrameReader) Open(string path)
    {
        var source = LaserRunCsv.Open(path);
        return (source, new LaserFrameReader(source));
    }

    private static (long Length, TimeSpan Shift) Lap(string path)
    {
        var (source, frames) = Open(path);
        using (source)
        {
            long n = 0;
            DateTimeOffset first = default, previous = default, last = default;
            while (frames.TryRead(out var r))
            {
                if (n == 0) first = r.Time;
                previous = last;
                last = r.Time;
                n++;
            }
            var step = n > 1 && last > previous ? last - previous : TimeSpan.FromSeconds(1);
            return (n, last - first + step);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _source.Dispose();
}
