namespace Edge.Sensors.Sampling;

/// <summary>
/// Constant-memory histogram of lateness in microseconds: 1 µs buckets below 1 ms, 100 µs buckets below 100 ms,
/// 10 ms buckets below 10 s, and one overflow bucket; percentiles are bucket upper edges, the maximum is exact.
/// </summary>
internal sealed class LatenessHistogram
{
    private const int FineBuckets = 1000;     // 0..999 µs
    private const int MediumBuckets = 990;    // 1 ms..99.9 ms
    private const int CoarseBuckets = 990;    // 100 ms..9.99 s
    private readonly long[] _counts = new long[FineBuckets + MediumBuckets + CoarseBuckets + 1];
    private long _total;
    private long _maxMicros;

    public void Record(long micros)
    {
        if (micros < 0) micros = 0;
        _counts[Bucket(micros)]++;
        _total++;
        if (micros > _maxMicros) _maxMicros = micros;
    }

    public TimeSpan Max => TimeSpan.FromMicroseconds(_maxMicros);

    public TimeSpan Percentile(double fraction)
    {
        if (_total == 0) return TimeSpan.Zero;
        long rank = (long)Math.Ceiling(fraction * _total);
        if (rank < 1) rank = 1;
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return TimeSpan.FromMicroseconds(Math.Min(UpperEdge(i), _maxMicros));
        }
        return Max;
    }

    private static int Bucket(long micros)
    {
        if (micros < 1_000) return (int)micros;
        if (micros < 100_000) return FineBuckets + (int)((micros - 1_000) / 100);
        if (micros < 10_000_000) return FineBuckets + MediumBuckets + (int)((micros - 100_000) / 10_000);
        return FineBuckets + MediumBuckets + CoarseBuckets;
    }

    private static long UpperEdge(int bucket)
    {
        if (bucket < FineBuckets) return bucket;
        if (bucket < FineBuckets + MediumBuckets) return 1_000 + (bucket - FineBuckets + 1) * 100L;
        if (bucket < FineBuckets + MediumBuckets + CoarseBuckets) return 100_000 + (bucket - FineBuckets - MediumBuckets + 1) * 10_000L;
        return long.MaxValue;
    }
}
