namespace Edge.Diagnostics;

/// <summary>The inputs a soak run feeds a stream, one phase each, in this order, without a reset between them.</summary>
public enum SoakPattern
{
    /// <summary>Values spread over [-1, 1] (random token ids for token-input models).</summary>
    Random,

    /// <summary>The same value every step (1.0, or token id 0).</summary>
    Constant,

    /// <summary>A sensor gone mad: ±1,000,000 (for token inputs, the last id every step).</summary>
    Huge,

    /// <summary>+1000 and -1000 in turn (for token inputs, the first and last ids in turn).</summary>
    AlternatingSign,

    /// <summary>Subnormal values, ±1e-40, which are slow on many CPUs and must not poison the state.</summary>
    Denormal,

    /// <summary>A long run of zeros (silence, a sensor that reads nothing).</summary>
    Zeros,
}
