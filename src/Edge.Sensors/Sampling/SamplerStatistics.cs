namespace Edge.Sensors.Sampling;

/// <summary>
/// A sampler's accounting since it started: how many periods ran, how many were missed or had failed reads, how
/// the gaps clustered, and how late reads started against their schedule.
/// </summary>
public readonly record struct SamplerStatistics
{
    /// <summary>Periods that came due, read or missed.</summary>
    public long Periods { get; init; }

    /// <summary>Periods skipped because the sampler was a whole period or more late (a slow read, a stalled machine); each yields Missed samples.</summary>
    public long MissedPeriods { get; init; }

    /// <summary>Samples the source returned, good or not (Missed markers excluded).</summary>
    public long Reads { get; init; }

    /// <summary>Reads whose status was a failure (NoResponse, InvalidData, NoData, EndOfData); OutOfRange counts as a read that worked.</summary>
    public long FailedReads { get; init; }

    /// <summary>Runs of consecutive periods that were missed or had a failed read: a dead device for ten periods is one gap.</summary>
    public long Gaps { get; init; }

    /// <summary>The longest such run, in periods.</summary>
    public long LongestGapPeriods { get; init; }

    /// <summary>Samples dropped because the buffer was full (the consumer was too slow).</summary>
    public long Dropped { get; init; }

    /// <summary>Median lateness: how long after its scheduled time a period's read started.</summary>
    public TimeSpan LatenessP50 { get; init; }

    /// <summary>99th-percentile lateness.</summary>
    public TimeSpan LatenessP99 { get; init; }

    /// <summary>Largest lateness seen.</summary>
    public TimeSpan LatenessMax { get; init; }
}
