using Edge.Backends;

namespace Edge.Streams;

/// <summary>
/// One sequence being run through a model, token by token, owning its fixed-size state. Cheap to create;
/// <see cref="Step"/> allocates nothing. One stream belongs to one thread at a time (the model is shared): a
/// second thread that steps it while the first is inside is refused with <see cref="EdgeErrorCode.ConcurrentUse"/>.
/// A non-finite input never reaches the state: <see cref="Step"/> refuses it, <see cref="TryStep"/> reports it.
/// </summary>
public sealed class ModelStream : IDisposable
{
    private readonly IStepSession _session;
    private int _inUse;

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

    /// <summary>Inputs <see cref="TryStep"/> turned away because they held NaN or an infinity, since creation.</summary>
    public long RejectedInputs { get; private set; }

    /// <summary>
    /// Advances one step: reads <see cref="EdgeModel.InputSize"/> floats, writes <see cref="EdgeModel.OutputSize"/> floats.
    /// An input holding NaN or an infinity is refused with <see cref="EdgeErrorCode.InvalidInput"/>, and the state and
    /// the output stay as they were.
    /// </summary>
    public void Step(ReadOnlySpan<float> input, Span<float> output)
    {
        if (!TryStep(input, output))
        {
            int at = IndexOfNonFinite(input);
            Fail.With(EdgeErrorCode.InvalidInput,
                $"Step input[{at}] is {input[at]} at step {StepCount}; the stream kept its state. Repair or drop the sample (TryStep reports such inputs without an exception).");
        }
    }

    /// <summary>
    /// Advances one step like <see cref="Step"/>, or returns false, leaving state, output and <see cref="StepCount"/>
    /// unchanged and counting <see cref="RejectedInputs"/>, when the input holds NaN or an infinity.
    /// </summary>
    public bool TryStep(ReadOnlySpan<float> input, Span<float> output)
    {
        if (input.Length != Model.InputSize)
            Fail.With(EdgeErrorCode.InvalidArgument, $"Step input has {input.Length} values; model {Model.Family} takes {Model.InputSize} per step.");
        if (output.Length != Model.OutputSize)
            Fail.With(EdgeErrorCode.InvalidArgument, $"Step output has room for {output.Length} values; model {Model.Family} writes {Model.OutputSize} per step.");
        if (!AllFinite(input))
        {
            RejectedInputs++;
            return false;
        }
        Enter();
        try
        {
            _session.Step(input, output);
            StepCount++;
        }
        finally
        {
            Volatile.Write(ref _inUse, 0);
        }
        return true;
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

    /// <summary>Replaces the state with a snapshot of a stream of the same model; one holding NaN or +∞ is refused.</summary>
    public void Restore(StreamState state)
    {
        Fail.If(state.ModelSha256 != Model.Sha256 || state.Bytes.Length != Model.State.Bytes, EdgeErrorCode.StateModelMismatch,
            "Snapshot was taken from a stream of another model; restore it into a stream of that model.");
        if (Model.State.FirstInvalidValue(state.Bytes) is { } bad)
            Fail.With(EdgeErrorCode.InvalidState, $"Snapshot holds {bad}; a state never holds NaN or +infinity. Restore an earlier snapshot.");
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

    /// <summary>The backend's part of this stream, for <see cref="StreamBatch"/>.</summary>
    internal IStepSession Session => _session;

    // A stream belongs to one thread at a time. The flag costs one interlocked exchange per step (a few ns) and
    // turns a silent corruption of the state into an error for the second thread.
    private void Enter()
    {
        if (!TryEnter())
            Fail.With(EdgeErrorCode.ConcurrentUse,
                "ModelStream.Step was called from two threads at once; give each thread its own stream (EdgeModel.CreateStream; the model is shared safely).");
    }

    /// <summary>Takes the stream for one step; false when another thread is stepping it.</summary>
    internal bool TryEnter() => Interlocked.Exchange(ref _inUse, 1) == 0;

    /// <summary>Ends a step taken with <see cref="TryEnter"/>; <paramref name="stepped"/> counts it.</summary>
    internal void Exit(bool stepped)
    {
        if (stepped) StepCount++;
        Volatile.Write(ref _inUse, 0);
    }

    /// <summary>Counts an input turned away for holding NaN or an infinity.</summary>
    internal void CountRejected() => RejectedInputs++;

    // v - v is 0 for every finite v and NaN for NaN and both infinities, so one sum of differences checks a whole vector.
    internal static bool AllFinite(ReadOnlySpan<float> x)
    {
        int i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated && x.Length >= System.Numerics.Vector<float>.Count)
        {
            var acc = System.Numerics.Vector<float>.Zero;
            var vectors = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(x);
            foreach (var v in vectors) acc += v - v;
            if (acc != System.Numerics.Vector<float>.Zero) return false;
            i = vectors.Length * System.Numerics.Vector<float>.Count;
        }
        for (; i < x.Length; i++)
        {
            if (!float.IsFinite(x[i])) return false;
        }
        return true;
    }

    internal static int IndexOfNonFinite(ReadOnlySpan<float> x)
    {
        for (int i = 0; i < x.Length; i++)
        {
            if (!float.IsFinite(x[i])) return i;
        }
        return -1;
    }
}
