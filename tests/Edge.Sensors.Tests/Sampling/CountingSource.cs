namespace Edge.Sensors.Tests.Sampling;

/// <summary>A one-channel source whose value is the read's sequence number; it can stall or throw on a chosen read.</summary>
public sealed class CountingSource : ISensorSource
{
    private long _reads;

    public IReadOnlyList<SensorChannel> Channels { get; } = [new("count", "1")];

    /// <summary>The read (1-based) that sleeps for <see cref="Stall"/> before answering.</summary>
    public long StallAt { get; init; } = -1;

    public TimeSpan Stall { get; init; }

    /// <summary>The read (1-based) that throws, as a buggy custom source might.</summary>
    public long ThrowAt { get; init; } = -1;

    public long Reads => Interlocked.Read(ref _reads);

    public bool TryRead(out SensorSample sample)
    {
        long n = Interlocked.Increment(ref _reads);
        if (n == StallAt) Thread.Sleep(Stall);
        if (n == ThrowAt) throw new InvalidOperationException("bug in a custom source");
        sample = new SensorSample(DateTimeOffset.UtcNow, 0, n, SensorStatus.Ok);
        return true;
    }

    public void Dispose() { }
}
