using Edge.Backends;

namespace Edge.Streams;

/// <summary>
/// Many streams of one model stepped together: one <see cref="Step"/> advances every member, reading each weight
/// once for all of them where the family has a batched step (<see cref="IBatchStepModel"/>: gru-attention, aaren,
/// gla-tts on the CPU backend), and one stream after another where it has not. Each member keeps its own state,
/// so snapshot, fork, save and load work on it as on any stream, between steps; streams join and leave between
/// steps. Every member gets the output and the state it would get stepped alone, bit for bit.
/// </summary>
/// <remarks>
/// A batch belongs to one thread at a time, like a stream; a member stepped by another thread meanwhile (alone or
/// in another batch) is refused with <see cref="EdgeErrorCode.ConcurrentUse"/> before anything is stepped.
/// <see cref="Step"/> allocates nothing.
/// </remarks>
public sealed class StreamBatch : IDisposable
{
    private readonly List<ModelStream> _members;
    private readonly IStepSession[] _sessions;
    private readonly ModelStream[] _stepping;
    private readonly float[] _inputs, _outputs;   // the finite rows, gathered, when TryStep turns some away
    private readonly IBatchStep? _step;   // null: the members are stepped one after another
    private int _inUse;

    /// <summary>An empty batch of up to <paramref name="capacity"/> streams of <paramref name="model"/>.</summary>
    public StreamBatch(EdgeModel model, int capacity)
    {
        ArgumentNullException.ThrowIfNull(model);
        Fail.If(capacity < 1 || capacity > MaxCapacity, EdgeErrorCode.InvalidArgument,
            $"A batch holds 1 to {MaxCapacity} streams; {capacity} was asked for.");
        Model = model;
        Capacity = capacity;
        _members = new List<ModelStream>(capacity);
        _sessions = new IStepSession[capacity];
        _stepping = new ModelStream[capacity];
        _inputs = new float[capacity * model.InputSize];
        _outputs = new float[capacity * model.OutputSize];
        StepWidth = Math.Min(capacity, model.BatchLimit ?? capacity);
        _step = model.StepModel is IBatchStepModel batched ? batched.CreateBatchStep(StepWidth) : null;
        IsBatched = _step is not null;
    }

    /// <summary>
    /// The most members one batched step carries: <see cref="Capacity"/>, or the model's
    /// <see cref="EdgeModel.BatchLimit"/> when that is smaller (a step of more members runs as several batched steps).
    /// </summary>
    public int StepWidth { get; }

    /// <summary>The largest capacity a batch may have.</summary>
    public const int MaxCapacity = 4096;

    /// <summary>The model every member runs.</summary>
    public EdgeModel Model { get; }

    /// <summary>The most members the batch takes.</summary>
    public int Capacity { get; }

    /// <summary>True when the model's family steps the members together (each weight read once a step); false when one after another.</summary>
    public bool IsBatched { get; }

    /// <summary>The members, in the order their rows appear in <see cref="Step"/>'s inputs and outputs.</summary>
    public IReadOnlyList<ModelStream> Streams => _members;

    /// <summary>Members now.</summary>
    public int Count => _members.Count;

    /// <summary>Floats <see cref="Step"/> reads: <see cref="Count"/> rows of the model's input size.</summary>
    public int InputLength => Count * Model.InputSize;

    /// <summary>Floats <see cref="Step"/> writes: <see cref="Count"/> rows of the model's output size.</summary>
    public int OutputLength => Count * Model.OutputSize;

    /// <summary>Adds <paramref name="stream"/> as the last row; it keeps its state and step count.</summary>
    public void Add(ModelStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Fail.If(!ReferenceEquals(stream.Model, Model), EdgeErrorCode.InvalidArgument,
            "The stream runs another model; a batch holds streams of one model (create it with this batch's EdgeModel.CreateStream).");
        Fail.If(_members.Contains(stream), EdgeErrorCode.InvalidArgument, "The stream is in this batch already.");
        Fail.If(_members.Count == Capacity, EdgeErrorCode.InvalidArgument,
            $"The batch is full ({Capacity} streams); remove one first or make a larger batch.");
        _members.Add(stream);
    }

    /// <summary>Removes <paramref name="stream"/>; the rows after it move up one. False when it was not a member.</summary>
    public bool Remove(ModelStream stream) => _members.Remove(stream);

    /// <summary>
    /// Advances every member one step: member <c>i</c> reads row <c>i</c> of <paramref name="inputs"/> and writes row
    /// <c>i</c> of <paramref name="outputs"/>. A row holding NaN or an infinity is refused with
    /// <see cref="EdgeErrorCode.InvalidInput"/> before any member is stepped (use <see cref="TryStep"/> to step the others).
    /// </summary>
    public void Step(ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        CheckLengths(inputs, outputs);
        int n = Model.InputSize;
        for (int i = 0; i < _members.Count; i++)
        {
            var row = inputs.Slice(i * n, n);
            if (!ModelStream.AllFinite(row))
            {
                int at = ModelStream.IndexOfNonFinite(row);
                Fail.With(EdgeErrorCode.InvalidInput,
                    $"Batch row {i}, input[{at}] is {row[at]}; no stream was stepped. Repair or drop the sample (TryStep steps the other rows).");
            }
        }
        Run(inputs, outputs, _members.Count);
    }

    /// <summary>
    /// Advances every member whose row is finite and leaves the others (state, output row and step count) as they
    /// were, counting each in its <see cref="ModelStream.RejectedInputs"/>; <paramref name="stepped"/>[i] says which.
    /// Returns the number stepped.
    /// </summary>
    public int TryStep(ReadOnlySpan<float> inputs, Span<float> outputs, Span<bool> stepped)
    {
        CheckLengths(inputs, outputs);
        Fail.If(stepped.Length < _members.Count, EdgeErrorCode.InvalidArgument,
            $"TryStep needs room for {_members.Count} flags; it got {stepped.Length}.");
        int n = Model.InputSize, m = Model.OutputSize, finite = 0;
        for (int i = 0; i < _members.Count; i++)
        {
            stepped[i] = ModelStream.AllFinite(inputs.Slice(i * n, n));
            if (stepped[i]) finite++;
            else _members[i].CountRejected();
        }
        if (finite == _members.Count)
        {
            Run(inputs, outputs, finite);
            return finite;
        }
        // Gather the finite rows, step them as a smaller batch, scatter their outputs back.
        for (int i = 0, k = 0; i < _members.Count; i++)
        {
            if (stepped[i]) inputs.Slice(i * n, n).CopyTo(_inputs.AsSpan(k++ * n, n));
        }
        Run(_inputs.AsSpan(0, finite * n), _outputs.AsSpan(0, finite * m), finite, stepped);
        for (int i = 0, k = 0; i < _members.Count; i++)
        {
            if (stepped[i]) _outputs.AsSpan(k++ * m, m).CopyTo(outputs.Slice(i * m, m));
        }
        return finite;
    }

    /// <summary>Releases the batch's scratch; the members stay open (dispose them yourself).</summary>
    public void Dispose() => _step?.Dispose();

    private void CheckLengths(ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        Fail.If(inputs.Length != InputLength, EdgeErrorCode.InvalidArgument,
            $"Batch input has {inputs.Length} values; {Count} streams of {Model.Family} take {Model.InputSize} each ({InputLength}).");
        Fail.If(outputs.Length != OutputLength, EdgeErrorCode.InvalidArgument,
            $"Batch output has room for {outputs.Length} values; {Count} streams of {Model.Family} write {Model.OutputSize} each ({OutputLength}).");
    }

    // Steps the members selected by `only` (all when empty), whose rows are stacked in inputs and outputs. A batched
    // family refuses a bad row before it changes any state; stepped one after another, the members before a failing
    // one have advanced and count their step.
    private void Run(ReadOnlySpan<float> inputs, Span<float> outputs, int count, ReadOnlySpan<bool> only = default)
    {
        if (count == 0) return;
        Fail.If(Interlocked.Exchange(ref _inUse, 1) != 0, EdgeErrorCode.ConcurrentUse,
            "StreamBatch.Step was called from two threads at once; a batch belongs to one thread at a time.");
        int entered = 0, done = 0;
        try
        {
            for (int i = 0; i < _members.Count; i++)
            {
                if (!only.IsEmpty && !only[i]) continue;
                var stream = _members[i];
                if (!stream.TryEnter())
                    Fail.With(EdgeErrorCode.ConcurrentUse,
                        $"Batch row {i}'s stream is being stepped by another thread; a stream steps on one thread at a time, alone or in one batch.");
                _stepping[entered] = stream;
                _sessions[entered++] = stream.Session;
            }
            int n = Model.InputSize, m = Model.OutputSize;
            if (_step is not null)
            {
                // Consecutive batched steps of at most StepWidth members; a family that refuses one has changed no state in it.
                while (done < count)
                {
                    int k = Math.Min(StepWidth, count - done);
                    try
                    {
                        _step.Step(_sessions.AsSpan(done, k), inputs.Slice(done * n, k * n), outputs.Slice(done * m, k * m));
                    }
                    catch (EdgeException e) when (done > 0)
                    {
                        throw new EdgeException(e.Code, $"{e.Message} (rows counted from row {done}, the first of this batched step of {k}; the {done} rows before it have stepped)", e);
                    }
                    for (int end = done + k; done < end; done++) _stepping[done].Exit(stepped: true);
                }
            }
            else
            {
                for (; done < count; done++)
                {
                    _sessions[done].Step(inputs.Slice(done * n, n), outputs.Slice(done * m, m));
                    _stepping[done].Exit(stepped: true);
                }
            }
        }
        catch (EdgeException e) when (!only.IsEmpty)
        {
            // The family counted rows among the finite ones TryStep passed on; say which batch rows those were.
            var rows = new List<int>();
            for (int i = 0; i < only.Length && i < _members.Count; i++) if (only[i]) rows.Add(i);
            throw new EdgeException(e.Code, $"{e.Message} (rows here count the finite rows only; they were batch rows {MessageText.List(rows.Select(r => r.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList(), 12)})", e);
        }
        finally
        {
            for (int i = done; i < entered; i++) _stepping[i].Exit(stepped: false);
            Array.Clear(_sessions, 0, count);
            Volatile.Write(ref _inUse, 0);
        }
    }
}
