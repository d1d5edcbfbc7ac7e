namespace Edge.Diagnostics;

/// <summary>
/// This machine's measured limits for a working set of <paramref name="ProbeBytes"/>: read bandwidth and peak float32 FMA
/// rate, on one thread, on one per core, and on the thread count a roofline is drawn for.
/// </summary>
/// <param name="ProbeBytes">Bytes the bandwidth probe read a pass.</param>
/// <param name="Threads">The thread count of <paramref name="Bandwidth"/> and <paramref name="PeakFlops"/>.</param>
/// <param name="BandwidthOneCore">Bytes per second, one thread.</param>
/// <param name="BandwidthAllCores">Bytes per second, one thread per core.</param>
/// <param name="Bandwidth">Bytes per second, <paramref name="Threads"/> threads.</param>
/// <param name="PeakFlopsOneCore">FLOPs per second, one thread.</param>
/// <param name="PeakFlopsAllCores">FLOPs per second, one thread per core.</param>
/// <param name="PeakFlops">FLOPs per second, <paramref name="Threads"/> threads.</param>
public sealed record MachineLimits(long ProbeBytes, int Threads, double BandwidthOneCore, double BandwidthAllCores, double Bandwidth,
    double PeakFlopsOneCore, double PeakFlopsAllCores, double PeakFlops)
{
    /// <summary>The largest working set measured as such; a bigger one is measured with 1 GiB, far past any cache.</summary>
    public const long CacheSizedProbeLimit = 64L << 20;

    /// <summary>
    /// Measures the limits for a step whose weights and state take <paramref name="footprintBytes"/>, stepping on
    /// <paramref name="threads"/> threads (one per core at most counts). <paramref name="quick"/>: a quarter of the
    /// bandwidth probe's buffer past the caches, one pass fewer, shorter FLOP runs (for <c>edge profile detect</c>).
    /// </summary>
    public static MachineLimits Measure(long footprintBytes, int threads, bool quick = false)
    {
        int cores = Environment.ProcessorCount;
        int n = Math.Clamp(threads, 1, cores);
        long probe = footprintBytes <= CacheSizedProbeLimit ? Math.Max(footprintBytes, 4096) : quick ? 256L << 20 : 1L << 30;
        int passes = quick ? 2 : 3;
        long iterations = quick ? 5_000_000 : 20_000_000;
        double bw1 = MemoryBandwidth.MeasureReadBytesPerSecond(probe, passes, 1);
        double bwAll = cores > 1 ? MemoryBandwidth.MeasureReadBytesPerSecond(probe, passes, cores) : bw1;
        double bw = n == 1 ? bw1 : n == cores ? bwAll : MemoryBandwidth.MeasureReadBytesPerSecond(probe, passes, n);
        double f1 = Edge.Diagnostics.PeakFlops.MeasureFlopsPerSecond(1, iterations, passes);
        double fAll = cores > 1 ? Edge.Diagnostics.PeakFlops.MeasureFlopsPerSecond(cores, iterations, passes) : f1;
        double f = n == 1 ? f1 : n == cores ? fAll : Edge.Diagnostics.PeakFlops.MeasureFlopsPerSecond(n, iterations, passes);
        return new MachineLimits(probe, n, bw1, bwAll, bw, f1, fAll, f);
    }
}
