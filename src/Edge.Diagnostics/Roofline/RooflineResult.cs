namespace Edge.Diagnostics;

/// <summary>
/// A step's measured rate against this machine's two limits (<c>edge bench --roofline</c>; <c>--json</c> prints it under
/// <c>roofline</c> with snake_case keys). Each fraction is the step's rate over what that limit allows: the bytes it moves
/// per second over the measured bandwidth, its FLOPs per second over the measured peak. Both probes take the best of
/// several patterns, so a fraction above 1 would mean a probe is wrong, not that the step beat the machine.
/// </summary>
/// <param name="WeightBytesPerStep">Bytes of weights one step reads, at the precision they are kept.</param>
/// <param name="StateBytesPerStep">Bytes of state one step reads plus those it writes.</param>
/// <param name="FlopsPerStep">Floating-point operations per step: 2·rows·cols per product plus the elementwise work (an estimate; see <see cref="Edge.Backends.IStepCost"/>).</param>
/// <param name="Threads">Threads the steps ran on; the limits used are those of as many threads.</param>
/// <param name="StepsPerSecond">The measured rate the fractions are of.</param>
/// <param name="ProbeBytes">Bytes the bandwidth probe read a pass: the step's footprint (weights and state) where it fits in the caches, else 1 GiB.</param>
/// <param name="BandwidthOneCoreBytesPerSecond">Read bandwidth of one thread, bytes per second.</param>
/// <param name="BandwidthAllCoresBytesPerSecond">Read bandwidth of one thread per core at once.</param>
/// <param name="BandwidthBytesPerSecond">That of <paramref name="Threads"/> threads: the limit the bandwidth fraction uses.</param>
/// <param name="PeakFlopsOneCore">Peak float32 FMA rate of one thread, FLOPs per second.</param>
/// <param name="PeakFlopsAllCores">The same on one thread per core.</param>
/// <param name="PeakFlopsPerSecond">That of <paramref name="Threads"/> threads: the limit the FLOP fraction uses.</param>
/// <param name="BytesPerSecond">(Weight + state bytes per step) × steps per second.</param>
/// <param name="FlopsPerSecond">FLOPs per step × steps per second.</param>
/// <param name="BandwidthFraction"><paramref name="BytesPerSecond"/> over <paramref name="BandwidthBytesPerSecond"/>.</param>
/// <param name="FlopsFraction"><paramref name="FlopsPerSecond"/> over <paramref name="PeakFlopsPerSecond"/>.</param>
/// <param name="BandwidthBoundStepsPerSecond">Steps per second the bandwidth allows: bandwidth over (weight + state bytes).</param>
/// <param name="FlopsBoundStepsPerSecond">Steps per second the peak FLOP rate allows.</param>
/// <param name="Limit">"bandwidth" or "flops": the lower of the two bounds.</param>
public sealed record RooflineResult(
    long WeightBytesPerStep, long StateBytesPerStep, long FlopsPerStep, int Threads, double StepsPerSecond, long ProbeBytes,
    double BandwidthOneCoreBytesPerSecond, double BandwidthAllCoresBytesPerSecond, double BandwidthBytesPerSecond,
    double PeakFlopsOneCore, double PeakFlopsAllCores, double PeakFlopsPerSecond,
    double BytesPerSecond, double FlopsPerSecond, double BandwidthFraction, double FlopsFraction,
    double BandwidthBoundStepsPerSecond, double FlopsBoundStepsPerSecond, string Limit);
