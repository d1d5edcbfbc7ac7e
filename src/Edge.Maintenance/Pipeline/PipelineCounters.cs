namespace Edge.Maintenance.Pipeline;

/// <summary>The pipeline's own scalar state; the state file stores it as int64 values in field order.</summary>
internal struct PipelineCounters
{
    public long ReferenceCount;
    public bool HaveReferences;
    public long RecentNext;
    public long RecentFill;
    public long Samples;
    public long Rejected;
    public long Alerts;
    public bool HasLastTime;
    public long LastTimeTicks;
    public bool Detected;
    public long DetectedTicks;
    public long DetectedSample;
    public long EndOfLifeRun;
    public bool EndOfLife;
    public long EndOfLifeTicks;
    public long EndOfLifeSample;

    public const int Count = 16;

    public readonly void Write(Span<long> into)
    {
        into[0] = ReferenceCount; into[1] = HaveReferences ? 1 : 0; into[2] = RecentNext; into[3] = RecentFill;
        into[4] = Samples; into[5] = Rejected; into[6] = Alerts; into[7] = HasLastTime ? 1 : 0;
        into[8] = LastTimeTicks; into[9] = Detected ? 1 : 0; into[10] = DetectedTicks; into[11] = DetectedSample;
        into[12] = EndOfLifeRun; into[13] = EndOfLife ? 1 : 0; into[14] = EndOfLifeTicks; into[15] = EndOfLifeSample;
    }

    /// <summary>Reads the values back, or returns the name of the first one out of its range (the file is untrusted).</summary>
    public static string? TryRead(ReadOnlySpan<long> v, int warmup, out PipelineCounters c)
    {
        c = default;
        static bool Flag(long x) => x is 0 or 1;
        if (!Flag(v[1]) || !Flag(v[7]) || !Flag(v[9]) || !Flag(v[13])) return "a yes/no flag";
        c.ReferenceCount = v[0]; c.HaveReferences = v[1] == 1; c.RecentNext = v[2]; c.RecentFill = v[3];
        c.Samples = v[4]; c.Rejected = v[5]; c.Alerts = v[6]; c.HasLastTime = v[7] == 1;
        c.LastTimeTicks = v[8]; c.Detected = v[9] == 1; c.DetectedTicks = v[10]; c.DetectedSample = v[11];
        c.EndOfLifeRun = v[12]; c.EndOfLife = v[13] == 1; c.EndOfLifeTicks = v[14]; c.EndOfLifeSample = v[15];
        if (c.ReferenceCount < 0 || c.ReferenceCount >= Laser.LaserFeatures.ReferenceSamples || (c.HaveReferences && c.ReferenceCount != 0)) return "the reference count";
        if (c.RecentNext < 0 || c.RecentNext >= warmup || c.RecentFill < 0 || c.RecentFill > warmup) return "the recent-sample ring's position";
        if (c.Samples < 0 || c.Rejected < 0 || c.Alerts < 0 || c.Alerts > c.Samples) return "the sample counts";
        if (!c.HaveReferences && (c.Samples != c.ReferenceCount || c.RecentFill != 0 || c.Detected || c.EndOfLife)) return "the sample counts";
        if ((c.Samples > 0 && !c.HasLastTime) || c.LastTimeTicks < 0 || c.LastTimeTicks > DateTimeOffset.MaxValue.UtcTicks) return "the last reading's time";
        if (c.Detected && (c.DetectedSample < 0 || c.DetectedSample >= c.Samples || c.DetectedTicks < 0 || c.DetectedTicks > c.LastTimeTicks)) return "the first detection";
        if (c.EndOfLife && (c.EndOfLifeSample < 0 || c.EndOfLifeSample >= c.Samples || c.EndOfLifeTicks < 0 || c.EndOfLifeTicks > c.LastTimeTicks)) return "the end of life";
        if (c.EndOfLifeRun < 0 || c.EndOfLifeRun > c.Samples) return "the end-of-life run";
        return null;
    }
}
