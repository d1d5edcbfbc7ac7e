using System.Diagnostics;
using System.Reflection;

namespace Edge.Diagnostics;

/// <summary>
/// Whether timings taken in this process mean what they say: a Debug build of the kernels or an attached
/// debugger runs the hot path several times slower (a Debug build benchmarked 3.6–4.5x slower here).
/// </summary>
public static class BuildCheck
{
    /// <summary>One warning line when timings would mislead, else null.</summary>
    public static string? TimingWarning()
    {
        if (Debugger.IsAttached)
            return "warning: a debugger is attached; timings are not representative (run without it).";
        var kernels = typeof(Edge.Kernels.MatVec).Assembly;
        bool optimizerOff = kernels.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled ?? false;
        return optimizerOff
            ? "warning: this is a Debug build of edge; timings run several times slower than Release (build with -c Release)."
            : null;
    }
}
