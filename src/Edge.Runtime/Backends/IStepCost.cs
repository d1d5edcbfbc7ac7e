namespace Edge.Backends;

/// <summary>
/// What one step of a CPU step model moves and computes, for roofline reports (<c>edge bench --roofline</c>). The
/// built-in CPU families implement it, each in a file of its own; the figures are a documented estimate, not a trace:
/// weight bytes are counted at the precision the matrices are kept, every matrix-vector product is 2·rows·cols FLOPs,
/// and the elementwise work (recurrence, gates, norms, softmaxes) is one FLOP per add, multiply or function value.
/// </summary>
public interface IStepCost
{
    /// <summary>Bytes of weights one step reads, at the precision they are kept (every matrix, bias and norm the step uses once).</summary>
    long WeightBytesPerStep { get; }

    /// <summary>Bytes of one stream's state one step reads plus the bytes it writes (the whole state read and written counts twice its size).</summary>
    long StateBytesPerStep { get; }

    /// <summary>Floating-point operations of one step: 2·rows·cols per matrix-vector product plus the elementwise work, as an estimate.</summary>
    long FlopsPerStep { get; }
}
