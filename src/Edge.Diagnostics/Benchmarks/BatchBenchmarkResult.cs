namespace Edge.Diagnostics;

/// <summary>What <see cref="BatchBenchmark.Run"/> measured; the CLI prints it as JSON with snake_case keys.</summary>
/// <param name="Batch">Streams in the batch.</param>
/// <param name="Batched">True when the family stepped them together (each weight read once a step); false when one after another.</param>
/// <param name="Steps">Measured batch steps (and as many lone steps).</param>
/// <param name="UsPerStepP50">Median microseconds of one batch step (every stream advanced once).</param>
/// <param name="UsPerStepP99">99th percentile microseconds of one batch step.</param>
/// <param name="UsPerStreamStepP50">The median batch step divided by the batch size.</param>
/// <param name="StreamStepsPerSecond">Stream steps per second over the whole batch (batch size × batch steps / wall time).</param>
/// <param name="Batch1UsPerStepP50">Median microseconds of one step of a stream stepped alone, in blocks alternating with the batch's.</param>
/// <param name="Batch1StepsPerSecond">Steps per second of the lone stream.</param>
/// <param name="PerStreamCostVsBatch1">UsPerStreamStepP50 over Batch1UsPerStepP50: 0.125 means a stream costs an eighth in the batch of what it costs alone.</param>
/// <param name="BatchSpeedup">StreamStepsPerSecond over Batch1StepsPerSecond.</param>
/// <param name="AllocBytesPerStep">Managed bytes allocated per batch step, on the stepping thread and the model's worker threads.</param>
/// <param name="RssGrowthBytes">Resident set size after the run minus before it.</param>
/// <param name="StateBytes">Bytes of state per stream.</param>
/// <param name="Backend">Which backend ran the steps.</param>
/// <param name="Machine">The machine, in one line.</param>
/// <param name="Threads">Threads each step's large products were split across.</param>
/// <param name="StreamsPerBatchedStep">The most streams one batched step carried: the batch size, or the model's batch limit (a device profile's <c>batch_limit</c>) when smaller.</param>
public sealed record BatchBenchmarkResult(
    int Batch, bool Batched, long Steps, double UsPerStepP50, double UsPerStepP99, double UsPerStreamStepP50, double StreamStepsPerSecond,
    double Batch1UsPerStepP50, double Batch1StepsPerSecond, double PerStreamCostVsBatch1, double BatchSpeedup,
    double AllocBytesPerStep, long RssGrowthBytes, long StateBytes, string Backend, string Machine, int Threads, int StreamsPerBatchedStep);
