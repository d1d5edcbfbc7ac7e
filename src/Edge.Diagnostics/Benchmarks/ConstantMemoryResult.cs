namespace Edge.Diagnostics;

/// <summary>What <see cref="ConstantMemoryBenchmark.Run"/> measured; the CLI prints it as a table or as JSON with snake_case keys.</summary>
/// <param name="Model">The package's path.</param>
/// <param name="Sizes">The shared sizes, e.g. "D=32 heads=4 layers=2 ffn=64".</param>
/// <param name="Window">Steps averaged for each row's µs per step (the window ends at the row's length).</param>
/// <param name="Rows">One row per requested length.</param>
/// <param name="AarenAllocBytesPerStep">Managed bytes allocated per aaren step during the timed run.</param>
/// <param name="TransformerAllocBytesPerStep">Managed bytes allocated per Transformer step during the timed run (its cache is reserved up front).</param>
/// <param name="AarenSeconds">Wall time of the whole aaren run.</param>
/// <param name="TransformerSeconds">Wall time of the whole Transformer run.</param>
/// <param name="CurveSteps">Ends of consecutive blocks of steps, for plotting.</param>
/// <param name="AarenCurveUs">Aaren's median µs per step over each block.</param>
/// <param name="TransformerCurveUs">The Transformer's median µs per step over each block.</param>
/// <param name="Machine">The machine, in one line.</param>
public sealed record ConstantMemoryResult(
    string Model, string Sizes, int Window, IReadOnlyList<ConstantMemoryRow> Rows,
    double AarenAllocBytesPerStep, double TransformerAllocBytesPerStep, double AarenSeconds, double TransformerSeconds,
    IReadOnlyList<long> CurveSteps, IReadOnlyList<double> AarenCurveUs, IReadOnlyList<double> TransformerCurveUs, string Machine);
