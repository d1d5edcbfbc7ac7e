namespace Edge.Fuzz;

/// <summary>Thrown inside the AFL loop so that afl-fuzz records the input as a crash; carries what the input did.</summary>
public sealed class FuzzViolationException(FuzzOutcome outcome) : Exception(outcome.Detail, outcome.Exception)
{
    /// <summary>The outcome that broke the rule.</summary>
    public FuzzOutcome Outcome { get; } = outcome;
}
