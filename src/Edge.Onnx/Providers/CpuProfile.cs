using Edge.Packages;

namespace Edge.Onnx.Providers;

/// <summary>
/// A device profile's settings for Edge's own CPU backend (the <c>cpu</c> object of device-profiles/*.json), or, in
/// <see cref="DeviceProfile.Families"/>, one family's overrides of them. Explicit command-line flags win over both.
/// </summary>
/// <param name="Backend">For a family entry: the backend to run it on first (<c>cpu</c> or <c>onnx</c>); null: the profile's order.</param>
/// <param name="Precision">How the CPU backend keeps weight matrices; null: as the package stores them.</param>
/// <param name="Threads">Threads one step's products are split across; 0: the model decides (one unless its step reads 64 MB or more); null in a family entry: the profile's.</param>
/// <param name="BatchLimit">The most streams one batched step carries on this device (a larger batch runs as several batched steps); null: no limit, or in a family entry the profile's.</param>
public sealed record CpuProfile(string? Backend, WeightPrecision? Precision, int? Threads, int? BatchLimit)
{
    /// <summary>The profile-wide settings when a profile has no <c>cpu</c> object: stored precision, the model's thread choice, no batch limit.</summary>
    public static CpuProfile Default { get; } = new(null, null, 0, null);

    /// <summary>The most threads a profile may ask for.</summary>
    public const int MaxThreads = 256;

    /// <summary>The largest batch limit a profile may give.</summary>
    public const int MaxBatchLimit = 4096;
}
