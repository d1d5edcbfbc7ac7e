namespace Edge.Fuzz;

/// <summary>The three things an input may do to a parser.</summary>
public enum FuzzVerdict
{
    /// <summary>It parsed into a valid object.</summary>
    Valid,

    /// <summary>It was refused with an <c>EdgeException</c> and its code.</summary>
    Refused,

    /// <summary>Any other exception, or an allocation above <see cref="FuzzRule.AllocationCapBytes"/>: a finding.</summary>
    Violation,
}
