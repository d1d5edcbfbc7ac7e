using Edge.Monitor.Streams;

namespace Edge.Monitor.Checkpoints;

/// <summary>A stream checkpoint's index file: which state file holds the pipeline and where the source was.</summary>
/// <param name="Format">Always <c>edge-monitor-checkpoint</c>.</param>
/// <param name="Version">The index format's version (2; 1 had no <paramref name="Alarm"/>).</param>
/// <param name="Stream">The stream's name.</param>
/// <param name="Generation">Counts the stream's checkpoints.</param>
/// <param name="StateFile">The pipeline state file, next to the index.</param>
/// <param name="Position">Readings the source had given (the next reading's index).</param>
/// <param name="SavedAtMs">When it was written, Unix milliseconds.</param>
/// <param name="Alarm">The stream's alarm at <paramref name="Position"/> (its alerts' coalescing); null in version 1: none.</param>
public sealed record CheckpointIndex(string Format, int Version, string Stream, long Generation, string StateFile, long Position, long SavedAtMs, AlarmState? Alarm = null);
