namespace Edge.Families.Aaren;

/// <summary>The feed-forward activation of an aaren model (config key <c>activation</c>).</summary>
public enum AarenActivation
{
    /// <summary>GELU with the tanh approximation ("gelu_tanh").</summary>
    GeluTanh,
    /// <summary>x·σ(x) ("silu").</summary>
    Silu,
    /// <summary>max(x, 0) ("relu").</summary>
    Relu,
}
