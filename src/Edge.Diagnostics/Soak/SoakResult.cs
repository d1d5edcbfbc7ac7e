namespace Edge.Diagnostics;

/// <summary>What <see cref="SoakBenchmark.Run"/> measured; the CLI prints it as JSON with snake_case keys.</summary>
/// <param name="Steps">Steps in all phases.</param>
/// <param name="Phases">One entry per input pattern, in the order run.</param>
/// <param name="Finite">Every output and state value stayed finite (−∞ of a running maximum allowed) in every phase.</param>
/// <param name="RssStartBytes">Resident set size after warm-up.</param>
/// <param name="RssEndBytes">Resident set size after the last step.</param>
/// <param name="AllocBytesPerStep">Managed bytes allocated on the stepping thread per step, checks included.</param>
/// <param name="Gen0Collections">Garbage collections during the run, generation 0.</param>
/// <param name="Gen2Collections">Garbage collections during the run, generation 2.</param>
/// <param name="StateBytes">Bytes of state per stream.</param>
/// <param name="Backend">Which backend ran the steps.</param>
/// <param name="Machine">The machine, in one line.</param>
public sealed record SoakResult(
    long Steps, IReadOnlyList<SoakPhase> Phases, bool Finite, long RssStartBytes, long RssEndBytes, double AllocBytesPerStep,
    int Gen0Collections, int Gen2Collections, long StateBytes, string Backend, string Machine);
