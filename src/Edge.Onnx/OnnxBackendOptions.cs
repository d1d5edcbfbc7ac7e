using Edge.Onnx.Providers;

namespace Edge.Onnx;

/// <summary>How the ONNX backend starts its sessions: which execution providers, in what order, and the thread settings.</summary>
public sealed class OnnxBackendOptions
{
    /// <summary>Execution providers to try, in order. The first that starts runs the model.</summary>
    public IReadOnlyList<ExecutionProvider> Providers { get; init; } = [ExecutionProvider.Cpu];

    /// <summary>
    /// When a provider cannot be started, try the next one (CPU last, implied) and announce it; when false,
    /// fail with <see cref="EdgeErrorCode.BackendUnavailable"/>.
    /// </summary>
    public bool AllowFallback { get; init; }

    /// <summary>Threads one step may use (ONNX Runtime's intra-op threads); 0 lets ONNX Runtime choose. At most <see cref="MaxIntraOpThreads"/>.</summary>
    public int IntraOpThreads { get; init; } = 1;

    /// <summary>The most intra-op threads a session on this machine may ask for: 4 per core, and never more than <see cref="DeviceProfile.MaxIntraOpThreads"/>.</summary>
    public static int MaxIntraOpThreads => Math.Min(4 * Environment.ProcessorCount, DeviceProfile.MaxIntraOpThreads);

    /// <summary>Let idle worker threads spin; off by default because spinning adds latency jitter to everything else on the device.</summary>
    public bool AllowSpinning { get; init; }

    /// <summary>GPU index for CUDA and DirectML.</summary>
    public int DeviceId { get; init; }

    /// <summary>Where the settings came from, for messages ("device profile jetson-orin-cuda", "--ep").</summary>
    public string Source { get; init; } = "the ONNX backend options";

    /// <summary>Receives one line whenever the backend falls back to another execution provider.</summary>
    public Action<string>? Announce { get; init; }

    /// <summary>Keep state in OrtValues from the session's allocator and copy it through a graph, as on a GPU, even on the CPU (tests the device path).</summary>
    internal bool ForceDeviceState { get; init; }

    /// <summary>
    /// Options from a device profile. <paramref name="requested"/> (the --ep option) goes first; with a
    /// profile that allows fallback, the profile's own order follows it.
    /// </summary>
    public static OnnxBackendOptions FromProfile(DeviceProfile profile, ExecutionProvider? requested = null, Action<string>? announce = null)
    {
        var order = profile.ExecutionProviders.Select(p => ExecutionProviders.Parse(p, $"device profile {profile.Name}")).ToList();
        if (requested is { } r)
        {
            order.Remove(r);
            order.Insert(0, r);
            if (!profile.AllowFallback) order = [r];
        }
        return new OnnxBackendOptions
        {
            Providers = order,
            AllowFallback = profile.AllowFallback,
            IntraOpThreads = profile.IntraOpThreads,
            AllowSpinning = profile.AllowSpinning,
            DeviceId = profile.DeviceId,
            Source = $"device profile {profile.Name}",
            Announce = announce,
        };
    }

    /// <summary>The providers to try, in order: <see cref="Providers"/>, then CPU when fallback is allowed and CPU is not listed.</summary>
    internal IReadOnlyList<ExecutionProvider> Order()
    {
        Fail.If(Providers.Count == 0, EdgeErrorCode.InvalidArgument, $"{Source}: no execution provider to try; list at least one (cpu, cuda, dml).");
        // ONNX Runtime waits forever, instead of failing, when it cannot create the threads asked for (an
        // address-space limit); beyond a few per core they only add contention, so refuse before starting.
        int maxThreads = MaxIntraOpThreads;
        Fail.If(IntraOpThreads < 0 || IntraOpThreads > maxThreads, EdgeErrorCode.InvalidConfig,
            $"{Source}: {IntraOpThreads} intra-op threads on a machine with {Environment.ProcessorCount} cores; use 0 (one per core) to {maxThreads} (4 per core, at most {DeviceProfile.MaxIntraOpThreads}).");
        var order = Providers.Distinct().ToList();
        if (AllowFallback && !order.Contains(ExecutionProvider.Cpu)) order.Add(ExecutionProvider.Cpu);
        return order;
    }
}
