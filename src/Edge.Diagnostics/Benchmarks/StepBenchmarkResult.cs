namespace Edge.Diagnostics;

/// <summary>What <see cref="StepBenchmark.Run"/> measured; the CLI prints it as JSON with snake_case keys.</summary>
/// <param name="Steps">Measured steps.</param>
/// <param name="UsPerStepP50">Median microseconds per step.</param>
/// <param name="UsPerStepP99">99th percentile microseconds per step.</param>
/// <param name="StepsPerSecond">Measured steps over wall time.</param>
/// <param name="AllocBytesPerStep">Managed bytes allocated per step, on the stepping thread and the model's worker threads.</param>
/// <param name="RssGrowthBytes">Resident set size after the run minus before it.</param>
/// <param name="StateBytes">Bytes of state per stream.</param>
/// <param name="Backend">Which backend ran the steps.</param>
/// <param name="Machine">The machine, in one line.</param>
/// <param name="Threads">Threads each step's large products were split across (1: the stepping thread alone).</param>
public sealed record StepBenchmarkResult(
    long Steps, double UsPerStepP50, double UsPerStepP99, double StepsPerSecond, double AllocBytesPerStep,
    long RssGrowthBytes, long StateBytes, string Backend, string Machine, int Threads);
