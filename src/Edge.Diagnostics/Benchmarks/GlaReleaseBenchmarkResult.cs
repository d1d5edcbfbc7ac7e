using System.Text.Json.Serialization;

namespace Edge.Diagnostics;

/// <summary>What <see cref="GlaReleaseBenchmark.Run"/> measured; <c>edge bench --gla-release --json</c> prints it with snake_case keys.</summary>
/// <param name="Config">The release-size config, as model.json would hold it.</param>
/// <param name="Parameters">All parameters (text encoder and tables included).</param>
/// <param name="WeightBytesPerToken">Bytes of weights one decoder step reads, at <paramref name="Precision"/>.</param>
/// <param name="StateBytes">Bytes of recurrent state per stream (read and written every step).</param>
/// <param name="TextTokens">Text tokens the steps were conditioned on.</param>
/// <param name="Steps">Measured decoder steps.</param>
/// <param name="TokensPerSecond">Decoder steps per second on <paramref name="Threads"/> threads.</param>
/// <param name="MsPerTokenP50">Median milliseconds per step.</param>
/// <param name="RealTimeFactor">Seconds of compute per second of audio at 75 tokens/s (below 1 is faster than real time).</param>
/// <param name="AllocBytesPerStep">Managed bytes allocated per step, on every thread the steps used.</param>
/// <param name="BandwidthGigabytesPerSecond">Measured single-thread streaming read bandwidth (best of 1, 4, 8 and 16 streams a thread, and of the passes between blocks of steps), 10^9 bytes/s.</param>
/// <param name="RooflineTokensPerSecond">The bandwidth of as many threads as step (<paramref name="RooflineBandwidthGigabytesPerSecond"/>) over weight bytes per token.</param>
/// <param name="RooflinePercent">Measured tokens/s as a percentage of the roofline.</param>
/// <param name="RooflineWithStateTokensPerSecond">Bandwidth over (weights + state read and written) per token.</param>
/// <param name="RooflineWithStatePercent">Measured tokens/s as a percentage of that.</param>
/// <param name="CpuMsPerToken">Processor time the process used per step: near the wall time on an idle machine, below it when other work takes the cores.</param>
/// <param name="BestTokensPerSecond">One over the fastest step: the rate with the least interference from other work.</param>
/// <param name="BestRooflinePercent">That rate as a percentage of the roofline (whose bandwidth is also the best of its passes).</param>
/// <param name="Machine">The machine, in one line.</param>
/// <param name="LoadAverage">The 1-minute load average when the run ended (other work on the machine skews timings), or -1 where unknown.</param>
/// <param name="Precision">How the decoder step's matrices were kept: fp32, fp16, int8 or q4.</param>
/// <param name="BandwidthAllCoresGigabytesPerSecond">The same read with one thread per core at once, 10^9 bytes/s.</param>
/// <param name="Threads">Threads each step's products were split across.</param>
/// <param name="OneThreadTokensPerSecond">The same steps on one thread, timed in blocks alternating with the threaded ones (equal to <paramref name="TokensPerSecond"/> on one thread).</param>
/// <param name="ThreadsSpeedup"><paramref name="TokensPerSecond"/> over <paramref name="OneThreadTokensPerSecond"/>.</param>
/// <param name="RooflineBandwidthGigabytesPerSecond">The bandwidth the roofline uses: that of <paramref name="Threads"/> threads reading at once (one per core at most).</param>
/// <param name="Roofline">With <c>--roofline</c>: the step against the measured bandwidth and peak FLOP rate (absent from the JSON otherwise).</param>
public sealed record GlaReleaseBenchmarkResult(
    IReadOnlyDictionary<string, object> Config, long Parameters, long WeightBytesPerToken, long StateBytes, int TextTokens, int Steps,
    double TokensPerSecond, double MsPerTokenP50, double RealTimeFactor, double AllocBytesPerStep, double BandwidthGigabytesPerSecond,
    double RooflineTokensPerSecond, double RooflinePercent, double RooflineWithStateTokensPerSecond, double RooflineWithStatePercent, double CpuMsPerToken, double BestTokensPerSecond, double BestRooflinePercent,
    string Machine, double LoadAverage, string Precision, double BandwidthAllCoresGigabytesPerSecond,
    int Threads, double OneThreadTokensPerSecond, double ThreadsSpeedup, double RooflineBandwidthGigabytesPerSecond,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RooflineResult? Roofline = null);
