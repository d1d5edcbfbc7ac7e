namespace Edge.Fuzz;

/// <summary>
/// The rule every harness checks: any byte string gives a valid object or an <see cref="EdgeException"/> with a
/// code; never another exception type, and never an allocation above <see cref="AllocationCapBytes"/> (a header
/// that declares gigabytes must be refused against the file's real length before anything is allocated). Hangs
/// are AFL's to catch, with its per-input time limit.
/// </summary>
public static class FuzzRule
{
    /// <summary>
    /// The most one input may make a parser allocate, managed bytes on all threads. The largest valid inputs in
    /// the seeds allocate under 8 MiB; 256 MiB leaves room for a valid file a mutation made larger.
    /// </summary>
    public const long AllocationCapBytes = 256L << 20;

    /// <summary>Runs <paramref name="target"/> on <paramref name="input"/> and judges the result.</summary>
    public static FuzzOutcome Apply(FuzzTarget target, byte[] input, FuzzFixtures fixtures)
    {
        long before = GC.GetTotalAllocatedBytes(precise: false);
        FuzzVerdict verdict;
        string detail;
        Exception? caught = null;
        try
        {
            target.Run(input, fixtures);
            verdict = FuzzVerdict.Valid;
            detail = "valid";
        }
        catch (EdgeException e)
        {
            verdict = FuzzVerdict.Refused;
            detail = $"refused [{e.Code}]";
        }
        catch (Exception e)
        {
            verdict = FuzzVerdict.Violation;
            detail = $"{e.GetType().Name}: {MessageText.Line(e.Message, 300)}";
            caught = e;
        }
        long allocated = GC.GetTotalAllocatedBytes(precise: false) - before;
        if (verdict != FuzzVerdict.Violation && allocated > AllocationCapBytes)
        {
            verdict = FuzzVerdict.Violation;
            detail = $"allocated {allocated >> 20} MiB for a {input.Length}-byte input ({detail}); the cap is {AllocationCapBytes >> 20} MiB";
        }
        return new FuzzOutcome(verdict, allocated, detail, caught);
    }
}
