namespace Edge.Diagnostics;

/// <summary>One length of <see cref="ConstantMemoryBenchmark"/>: time per step around it and memory held at it, for both models.</summary>
/// <param name="Steps">Steps run so far (the sequence length).</param>
/// <param name="AarenUsPerStep">Aaren: median µs per step over the window of steps ending here (ten rounds, each from the state at the window's start).</param>
/// <param name="AarenUsPerStepMean">Aaren: mean µs per step over the same window (sensitive to other load on the machine).</param>
/// <param name="AarenStateBytes">Aaren: bytes of state per stream (the same at every length).</param>
/// <param name="TransformerUsPerStep">Transformer: median µs per step over the same window.</param>
/// <param name="TransformerUsPerStepMean">Transformer: mean µs per step over the same window.</param>
/// <param name="TransformerCacheBytes">Transformer: bytes of keys and values cached at this length.</param>
public sealed record ConstantMemoryRow(
    long Steps, double AarenUsPerStep, double AarenUsPerStepMean, long AarenStateBytes,
    double TransformerUsPerStep, double TransformerUsPerStepMean, long TransformerCacheBytes);
