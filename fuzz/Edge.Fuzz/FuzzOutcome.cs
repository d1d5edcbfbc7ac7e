namespace Edge.Fuzz;

/// <summary>What one input did: a valid object, a clean refusal with a code, or a violation of the rule.</summary>
public sealed record FuzzOutcome(FuzzVerdict Verdict, long AllocatedBytes, string Detail, Exception? Exception = null)
{
    /// <summary>True when the input broke the rule (another exception type, or an allocation above the cap).</summary>
    public bool IsViolation => Verdict == FuzzVerdict.Violation;
}
