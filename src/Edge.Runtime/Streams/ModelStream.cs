using Edge.Backends;

namespace Edge.Streams;

/// <summary>
/// One sequence being run through a model, token by token, owning its fixed-size state. Cheap to create;
/// <see cref="Step"/> allocates nothing. Not thread-safe: one stream per thread (the model is shared).
/// </summary>
public sealed class ModelStream : IDisposable
{
    private readonly IStepSession _session;

    internal ModelStream(EdgeModel model, IStepSession session)
    {
        Model = model;
        _session = session;
        _session.Reset();
    }

    /// <summary>The model this stream runs.</summary>
    public EdgeModel Model { get; }

    /// <summary>Steps run since creation or the last <see cref="Reset"/> (restored with a state).</summary>
    public long StepCount { get; private set; }

    /// <summary>Advances one step: reads <see cref="EdgeModel.InputSize"/> floats, writes <see cref="EdgeModel.OutputSize"/> floats.</summary>
    public void Step(ReadOnlySpan<float> input, Span<float> output)
    {
        if (input.Length != Model.InputSize)
            Fail.With(EdgeErrorCode.InvalidArgument, $"Step input has {input.Length} values; model {Model.Family} takes {Model.InputSize} per step.");
        if (output.Length != Model.OutputSize)
            Fail.With(EdgeErrorCode.InvalidArgument, $"Step output has room for {output.Length} values; model {Model.Family} writes {Model.OutputSize} per step.");
        _session.Step(input, output);
        StepCount++;
    }

    /// <summary>Returns to the model's initial state.</summary>
    public void Reset()
    {
        _session.Reset();
        StepCount = 0;
    }

    /// <summary>Copies the state into a new snapshot.</summary>
    public StreamState Snapshot()
    {
        var s = new StreamState(Model);
        Snapshot(s);
        return s;
    }

    /// <summary>Copies the state into an existing snapshot of this model, allocating nothing.</summary>
    public void Snapshot(StreamState into)
    {
        Fail.If(into.Bytes.Length != Model.State.Bytes, EdgeErrorCode.InvalidArgument, "Snapshot buffer was made for another model.");
        _session.ReadState(into.Bytes);
        into.ModelSha256 = Model.Sha256;
        into.StepCount = StepCount;
    }

    /// <summary>Replaces the state with a snapshot of a stream of the same model.</summary>
    public void Restore(StreamState state)
    {
        Fail.If(state.ModelSha256 != Model.Sha256 || state.Bytes.Length != Model.State.Bytes, EdgeErrorCode.StateModelMismatch,
            "Snapshot was taken from a stream of another model; restore it into a stream of that model.");
        _session.WriteState(state.Bytes);
        StepCount = state.StepCount;
    }

    /// <summary>A new stream of the same model starting from this stream's current state.</summary>
    public ModelStream Fork()
    {
        var copy = Model.CreateStream();
        copy.Restore(Snapshot());
        return copy;
    }

    /// <summary>Writes the state to a file bound to this model (atomically: temp file, flush, rename).</summary>
    public void SaveState(string path)
    {
        var state = new byte[Model.State.Bytes];
        _session.ReadState(state);
        StateFile.Save(path, Model.State, Model.Family, Model.Sha256, StepCount, state);
    }

    /// <summary>Loads a state file saved by this model; on any problem throws and leaves the stream unchanged.</summary>
    public void LoadState(string path)
    {
        var (state, steps) = StateFile.Load(path, Model.State, Model.Family, Model.Sha256);
        _session.WriteState(state);
        StepCount = steps;
    }

    /// <summary>A family-specific capability of this stream (e.g. text conditioning for gla-tts), or null.</summary>
    public T? GetFeature<T>() where T : class => _session.GetFeature<T>();

    /// <summary>Releases the stream's buffers (device memory on GPU backends).</summary>
    public void Dispose() => _session.Dispose();
}
