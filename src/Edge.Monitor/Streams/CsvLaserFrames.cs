using Edge.Maintenance.Laser;
using Edge.Maintenance.Replay;
using Edge.Sensors.Replay;

namespace Edge.Monitor.Streams;

/// <summary>A CSV aging run replayed frame by frame (the stream paces it); a resumed stream skips the readings its checkpoint had.</summary>
public sealed class CsvLaserFrames : ILaserFrames
{
    private readonly CsvReplaySource _source;
    private readonly LaserFrameReader _frames;

    /// <summary>Opens <paramref name="path"/> and skips its first <paramref name="skip"/> readings.</summary>
    public CsvLaserFrames(string path, long skip)
    {
        _source = LaserRunCsv.Open(path);
        _frames = new LaserFrameReader(_source);
        for (long i = 0; i < skip && _frames.TryRead(out _); i++) { }
    }

    /// <inheritdoc />
    public FrameRead TryRead(out LaserReading reading) => _frames.TryRead(out reading) ? FrameRead.Frame : FrameRead.End;

    /// <inheritdoc />
    public string? LastProblem => _source.LastProblem;

    /// <inheritdoc />
    public long Dropped => 0;

    /// <inheritdoc />
    public void Dispose() => _source.Dispose();
}
