namespace Edge.Families.Gla;

/// <summary>How <see cref="SpeechGenerator"/> samples codes.</summary>
public sealed record SpeechGeneratorOptions
{
    /// <summary>Candidates for quantizer 0 (Lina-Speech: 100). The other quantizers always take their arg max, as Lina's <c>first_greedy_quant = 1</c>.</summary>
    public int TopK { get; init; } = 100;

    /// <summary>Softmax temperature for quantizer 0.</summary>
    public float Temperature { get; init; } = 1f;

    /// <summary>Seed of the draws.</summary>
    public int Seed { get; init; }

    /// <summary>Take the arg max for every quantizer (no sampling).</summary>
    public bool Greedy { get; init; }

    /// <summary>
    /// Most steps sampled after the prompt (Lina-Speech's <c>max_seqlen</c> default: 1000 ≈ 13 s at 75 tokens/s;
    /// set 2000 for a 27 s limit).
    /// </summary>
    public int MaxSteps { get; init; } = 1000;
}
