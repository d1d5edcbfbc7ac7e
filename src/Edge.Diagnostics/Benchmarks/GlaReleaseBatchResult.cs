namespace Edge.Diagnostics;

/// <summary>What <see cref="GlaReleaseBatchBenchmark.Run"/> measured; <c>edge bench --gla-release --batch B --json</c> prints it with snake_case keys.</summary>
/// <param name="Precision">How the decoder step's matrices were kept: fp32, fp16, int8 or q4.</param>
/// <param name="Threads">Threads each product was split across (batch and batch 1 alike).</param>
/// <param name="Batch">Streams stepped together, B.</param>
/// <param name="Steps">Timed batch steps, and timed steps of the one stream.</param>
/// <param name="TextTokens">Text tokens each stream was conditioned on (each its own text).</param>
/// <param name="UsPerStepP50">Median microseconds of one batch step (every stream one token).</param>
/// <param name="UsPerStreamStepP50"><paramref name="UsPerStepP50"/> divided by B.</param>
/// <param name="TokensPerSecond">Aggregate: B × batch steps per second.</param>
/// <param name="Batch1UsPerStepP50">Median microseconds of one step of a stream alone.</param>
/// <param name="Batch1TokensPerSecond">Steps per second of the stream alone, timed in blocks alternating with the batch.</param>
/// <param name="BatchSpeedup"><paramref name="TokensPerSecond"/> over <paramref name="Batch1TokensPerSecond"/>.</param>
/// <param name="WeightBytesPerStep">Bytes of weights one step reads, once per batch step.</param>
/// <param name="StateBytes">Bytes of state per stream, read and written every step.</param>
/// <param name="BytesPerBatchStep">Weights once plus B states read and written: W + 2BS.</param>
/// <param name="Batch1BytesPerStep">W + 2S.</param>
/// <param name="BoundSpeedup">The speed-up if both moved their bytes at the same rate: B (W + 2S) / (W + 2BS).</param>
/// <param name="BoundPercent"><paramref name="BatchSpeedup"/> as a percentage of <paramref name="BoundSpeedup"/>.</param>
/// <param name="BatchGigabytesPerSecond">Bytes per batch step × batch steps per second, 10^9 bytes/s.</param>
/// <param name="Batch1GigabytesPerSecond">The same for the stream alone.</param>
/// <param name="BandwidthGigabytesPerSecond">Measured streaming read bandwidth on as many threads (one per core at most), 10^9 bytes/s.</param>
/// <param name="CpuMsPerStep">Processor time the process used per batch step (all threads; near Threads × wall time when compute-bound).</param>
/// <param name="Batch1CpuMsPerStep">The same per step of the stream alone.</param>
/// <param name="AllocBytesPerStep">Managed bytes allocated per step (batch and alone), on every thread the steps used.</param>
/// <param name="Machine">The machine, in one line.</param>
/// <param name="LoadAverage">The 1-minute load average when the run ended, or -1 where unknown.</param>
public sealed record GlaReleaseBatchResult(
    string Precision, int Threads, int Batch, int Steps, int TextTokens,
    double UsPerStepP50, double UsPerStreamStepP50, double TokensPerSecond, double Batch1UsPerStepP50, double Batch1TokensPerSecond, double BatchSpeedup,
    long WeightBytesPerStep, long StateBytes, long BytesPerBatchStep, long Batch1BytesPerStep, double BoundSpeedup, double BoundPercent,
    double BatchGigabytesPerSecond, double Batch1GigabytesPerSecond, double BandwidthGigabytesPerSecond,
    double CpuMsPerStep, double Batch1CpuMsPerStep, double AllocBytesPerStep, string Machine, double LoadAverage);
