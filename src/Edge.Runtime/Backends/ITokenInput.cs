namespace Edge.Backends;

/// <summary>An <see cref="IStepModel"/> whose step input is token ids written as floats (one per input slot).</summary>
public interface ITokenInput
{
    /// <summary>Every input value must be an integer in [0, InputVocabulary).</summary>
    int InputVocabulary { get; }
}
