using Edge.Backends;
using Edge.Streams;

namespace Edge.Families;

/// <summary>A family's step as a backend sees it: sizes, the typed state layout and its initial value, and per-stream conditioning.</summary>
public sealed class StepDescription
{
    /// <summary>Floats per step input.</summary>
    public required int InputSize { get; init; }

    /// <summary>Floats per step output.</summary>
    public required int OutputSize { get; init; }

    /// <summary>The state's layout (names, shapes, dtypes); its size never depends on the number of steps.</summary>
    public required StateLayout State { get; init; }

    /// <summary>The state a new stream starts from, <see cref="StateLayout.Bytes"/> long.</summary>
    public required byte[] InitialState { get; init; }

    /// <summary>When the input is token ids written as floats, the number of ids (each input must be an integer below it); 0 for real-valued input.</summary>
    public int InputVocabulary { get; init; }

    /// <summary>Further float32 step-graph inputs that the stream's conditioning supplies, in the order of <see cref="IStepConditioning.GetInput"/>.</summary>
    public IReadOnlyList<string> ConditioningInputs { get; init; } = [];

    /// <summary>Makes one stream's conditioning (text, voice) for a backend that runs the step outside the family's CPU code; null when the family has none.</summary>
    public Func<IStepConditioning>? CreateConditioning { get; init; }
}
