using Edge.Maintenance.Laser;
using Edge.Maintenance.Replay;
using Edge.Monitor.Streams;

namespace Edge.Monitor.Tests;

/// <summary>A source over readings already in memory (a held-out unit read once), so a test measures the stream's own stepping.</summary>
public sealed class ArrayLaserFrames : ILaserFrames
{
    private readonly LaserReading[] _readings;
    private long _next;

    public ArrayLaserFrames(LaserReading[] readings, long skip)
    {
        _readings = readings;
        _next = skip;
    }

    public static LaserReading[] Read(string csv)
    {
        using var source = LaserRunCsv.Open(csv);
        var frames = new LaserFrameReader(source);
        var list = new List<LaserReading>();
        while (frames.TryRead(out var r)) list.Add(r);
        return [.. list];
    }

    public FrameRead TryRead(out LaserReading reading)
    {
        if (_next >= _readings.Length)
        {
            reading = default;
            return FrameRead.End;
        }
        reading = _readings[_next++];
        return FrameRead.Frame;
    }

    public string? LastProblem => null;

    public long Dropped => 0;

    public void Dispose() { }
}
