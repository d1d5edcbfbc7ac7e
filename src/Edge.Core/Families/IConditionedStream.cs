namespace Edge.Families;

/// <summary>What a stream offers its <see cref="IStepConditioning"/>: its state and step count, and a reset to the (new) initial state.</summary>
public interface IConditionedStream
{
    /// <summary>Steps since the last reset.</summary>
    long Steps { get; }

    /// <summary>Copies the flat state bytes, in layout order.</summary>
    void ReadState(Span<byte> destination);

    /// <summary>Resets the state to the conditioning's initial state.</summary>
    void Reset();
}
