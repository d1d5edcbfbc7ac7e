namespace Edge.Diagnostics;

/// <summary>What <see cref="GlaReleaseBenchmark.Run"/> measured; <c>edge bench --gla-release --json</c> prints it with snake_case keys.</summary>
/// <param name="Config">The release-size config, as model.json would hold it.</param>
/// <param name="Parameters">All parameters (text encoder and tables included).</param>
/// <param name="WeightBytesPerToken">Bytes of weights one decoder step reads, at <paramref name="Precision"/>.</param>
/// <param name="StateBytes">Bytes of recurrent state per stream (read and written every step).</param>
/// <param name="TextTokens">Text tokens the steps were conditioned on.</param>
/// <param name="Steps">Measured decoder steps.</param>
/// <param name="TokensPerSecond">Decoder steps per second, one thread.</param>
/// <param name="MsPerTokenP50">Median milliseconds per step.</param>
/// <param name="RealTimeFactor">Seconds of compute per second of audio at 75 tokens/s (below 1 is faster than real time).</param>
/// <param name="AllocBytesPerStep">Managed bytes allocated per step.</param>
/// <param name="BandwidthGigabytesPerSecond">Measured single-thread streaming read bandwidth (best of one and eight streams), 10^9 bytes/s: the roofline's, as the decoder runs on one thread.</param>
/// <param name="RooflineTokensPerSecond">Bandwidth over weight bytes per token.</param>
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
public sealed record GlaReleaseBenchmarkResult(
    IReadOnlyDictionary<string, object> Config, long Parameters, long WeightBytesPerToken, long StateBytes, int TextTokens, int Steps,
    double TokensPerSecond, double MsPerTokenP50, double RealTimeFactor, double AllocBytesPerStep, double BandwidthGigabytesPerSecond,
    double RooflineTokensPerSecond, double RooflinePercent, double RooflineWithStateTokensPerSecond, double RooflineWithStatePercent, double CpuMsPerToken, double BestTokensPerSecond, double BestRooflinePercent,
    string Machine, double LoadAverage, string Precision, double BandwidthAllCoresGigabytesPerSecond);
