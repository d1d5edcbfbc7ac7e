using Edge.Packages;

namespace Edge.Backends;

/// <summary>A CPU step model that says how its weight matrices are kept (the built-in families do).</summary>
public interface IPrecisionReport
{
    /// <summary>The precision the model was built at.</summary>
    WeightPrecision Precision { get; }
}
