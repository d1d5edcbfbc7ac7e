using System.Text.Json;
using Edge.Formats;
using Edge.Maintenance.Pipeline;
using Edge.Monitor.Outbox;
using Edge.Monitor.Streams;

namespace Edge.Monitor.Checkpoints;

/// <summary>
/// Each stream's checkpoint: the pipeline's state file (a new generation each time, written atomically) and an index
/// <c>STREAM.json</c> naming it with the source position, renamed over the old index as the one commit point. A crash
/// at any moment leaves the old checkpoint or the new one, both readable; the stale generation is deleted after.
/// </summary>
public sealed class CheckpointStore
{
    private const string Format = "edge-monitor-checkpoint";
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly string _folder;

    /// <summary>Uses (and creates) <paramref name="folder"/>.</summary>
    public CheckpointStore(string folder)
    {
        _folder = folder;
        Directory.CreateDirectory(folder);
    }

    /// <summary>The index file of <paramref name="stream"/>.</summary>
    public string IndexPath(string stream) => Path.Combine(_folder, stream + ".json");

    /// <summary>Saves <paramref name="pipeline"/>'s state with the source <paramref name="position"/> (readings consumed).</summary>
    public void Save(string stream, MaintenancePipeline pipeline, long position) => Save(stream, pipeline.SaveStateBytes(), position, AlarmState.Clear);

    /// <summary>Saves a state taken with <see cref="MaintenancePipeline.SaveStateBytes"/> at source <paramref name="position"/>, with the stream's <paramref name="alarm"/> then.</summary>
    public void Save(string stream, byte[] state, long position, AlarmState alarm)
    {
        var old = ReadIndex(stream);
        long generation = (old?.Generation ?? 0) + 1;
        string stateFile = $"{stream}.{generation}.state";
        AtomicFile.Write(Path.Combine(_folder, stateFile), state);
        var index = new CheckpointIndex(Format, 2, stream, generation, stateFile, position, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), alarm);
        AtomicFile.Write(IndexPath(stream), JsonSerializer.SerializeToUtf8Bytes(index, Json));
        DurableDirectory.Sync(_folder);
        if (old is not null && old.StateFile != stateFile) File.Delete(Path.Combine(_folder, old.StateFile));
    }

    /// <summary>
    /// Restores <paramref name="stream"/>'s last checkpoint into <paramref name="pipeline"/> and returns its source position,
    /// or null when there is none. A checkpoint that does not fit (another model, another format) throws an
    /// <see cref="EdgeException"/> and leaves the pipeline unchanged.
    /// </summary>
    public long? Restore(string stream, MaintenancePipeline pipeline) => Restore(stream, pipeline, out _);

    /// <summary>As <see cref="Restore(string, MaintenancePipeline)"/>, also giving the stream's <paramref name="alarm"/> at the checkpoint.</summary>
    public long? Restore(string stream, MaintenancePipeline pipeline, out AlarmState alarm)
    {
        alarm = AlarmState.Clear;
        var index = ReadIndex(stream);
        if (index is null) return null;
        Fail.If(index.Format != Format || index.Version is not (1 or 2) || index.Stream != stream || index.Position < 0, EdgeErrorCode.InvalidState,
            $"{IndexPath(stream)}: not a version-1 or -2 checkpoint of stream '{stream}'; move it away to start the stream over.");
        pipeline.LoadState(Path.Combine(_folder, index.StateFile));
        alarm = index.Alarm ?? AlarmState.Clear;
        return index.Position;
    }

    /// <summary>Moves <paramref name="stream"/>'s checkpoint aside (<c>*.refused</c>) so that the stream starts over.</summary>
    public void SetAside(string stream)
    {
        string index = IndexPath(stream);
        if (File.Exists(index)) File.Move(index, index + ".refused", overwrite: true);
    }

    /// <summary>The source position recorded in <paramref name="stream"/>'s checkpoint, or null.</summary>
    public long? Position(string stream) => ReadIndex(stream)?.Position;

    private CheckpointIndex? ReadIndex(string stream)
    {
        string path = IndexPath(stream);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<CheckpointIndex>(File.ReadAllBytes(path), Json);
        }
        catch (JsonException e)
        {
            throw new EdgeException(EdgeErrorCode.InvalidState, $"{path}: the checkpoint index is not readable JSON ({e.Message}); move it away to start the stream over.");
        }
    }
}
