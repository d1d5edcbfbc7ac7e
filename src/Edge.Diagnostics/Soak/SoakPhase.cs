namespace Edge.Diagnostics;

/// <summary>What one phase of a soak run saw.</summary>
/// <param name="Pattern">The inputs of the phase, a <see cref="SoakPattern"/> in snake case ("alternating_sign").</param>
/// <param name="Steps">Steps in the phase.</param>
/// <param name="NonFiniteOutputs">Output values that were NaN or infinite.</param>
/// <param name="MaxAbsOutput">Largest finite |output| seen.</param>
/// <param name="MaxAbsState">Per state entry, the largest finite |value| seen at the checks (−∞ of a running maximum left out).</param>
/// <param name="EndAbsState">Per state entry, the largest finite |value| at the phase's last check: below the maximum when the entry settles.</param>
/// <param name="InvalidState">The first NaN or +∞ found in the state, or null.</param>
/// <param name="StepsPerSecond">Steps over the phase's wall time, checks included.</param>
public sealed record SoakPhase(
    string Pattern, long Steps, long NonFiniteOutputs, double MaxAbsOutput,
    IReadOnlyDictionary<string, double> MaxAbsState, IReadOnlyDictionary<string, double> EndAbsState,
    string? InvalidState, double StepsPerSecond);
