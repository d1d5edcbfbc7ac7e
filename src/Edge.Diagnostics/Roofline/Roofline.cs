using Edge.Backends;

namespace Edge.Diagnostics;

/// <summary>A measured step rate against this machine's bandwidth and peak FLOP rate (<c>edge bench --roofline</c>).</summary>
public static class Roofline
{
    /// <summary>Measures this machine's limits for <paramref name="cost"/>'s working set on <paramref name="threads"/> threads and places <paramref name="stepsPerSecond"/> against them.</summary>
    public static RooflineResult Measure(IStepCost cost, double stepsPerSecond, int threads) =>
        Of(cost, stepsPerSecond, MachineLimits.Measure(cost.WeightBytesPerStep + cost.StateBytesPerStep / 2, threads));

    /// <summary>Places <paramref name="stepsPerSecond"/> against limits already measured.</summary>
    public static RooflineResult Of(IStepCost cost, double stepsPerSecond, MachineLimits limits)
    {
        long bytes = cost.WeightBytesPerStep + cost.StateBytesPerStep;
        double bytesPerSecond = bytes * stepsPerSecond, flopsPerSecond = cost.FlopsPerStep * stepsPerSecond;
        double bandwidthBound = limits.Bandwidth / bytes, flopsBound = limits.PeakFlops / cost.FlopsPerStep;
        return new RooflineResult(cost.WeightBytesPerStep, cost.StateBytesPerStep, cost.FlopsPerStep, limits.Threads, stepsPerSecond, limits.ProbeBytes,
            limits.BandwidthOneCore, limits.BandwidthAllCores, limits.Bandwidth, limits.PeakFlopsOneCore, limits.PeakFlopsAllCores, limits.PeakFlops,
            bytesPerSecond, flopsPerSecond, bytesPerSecond / limits.Bandwidth, flopsPerSecond / limits.PeakFlops,
            bandwidthBound, flopsBound, bandwidthBound <= flopsBound ? "bandwidth" : "flops");
    }
}
