namespace Edge.Families.Gla;

/// <summary>How the blind cross-attention encodes text positions (config <c>pos_type</c>).</summary>
public enum GlaPositionType
{
    /// <summary><c>"convolutional"</c>: a learned table <c>[2000, d_blind]</c> smoothed by a depthwise convolution (kernel 31).</summary>
    Convolutional,
    /// <summary><c>"sinusoidal"</c>: <c>[sin θ ‖ sin(θ + π/2)]</c>, no parameters.</summary>
    Sinusoidal,
}
