using Edge.Maintenance.Laser;

namespace Edge.Monitor.Streams;

/// <summary>A stream's source of laser readings, polled by the stream's own thread.</summary>
public interface ILaserFrames : IDisposable
{
    /// <summary>Polls once; a <see cref="FrameRead.Frame"/> fills <paramref name="reading"/>.</summary>
    FrameRead TryRead(out LaserReading reading);

    /// <summary>The source's own account of its last problem (a bad cell, a lost broker), or null.</summary>
    string? LastProblem { get; }

    /// <summary>Readings the source lost before they were read (an MQTT queue overflow).</summary>
    long Dropped { get; }
}
