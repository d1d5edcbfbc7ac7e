using System.Diagnostics;

namespace Edge.Diagnostics;

/// <summary>
/// Warms a step before it is timed: at least <c>minSteps</c> calls and <c>minTime</c>, twice with a 200 ms pause
/// between, so the tiered JIT has rejitted the step (its background compile would otherwise land inside the timed
/// run and, on a 2-core machine, slow the first steps by up to 2×).
/// </summary>
internal static class JitWarmup
{
    /// <summary>Calls <paramref name="step"/> with a running index until both limits are met, in two rounds.</summary>
    public static void Run(int minSteps, TimeSpan minTime, Action<int> step)
    {
        long ticks = (long)(minTime.TotalSeconds * Stopwatch.Frequency);
        for (int round = 0, i = 0; round < 2; round++)
        {
            long until = Stopwatch.GetTimestamp() + ticks;
            for (int n = 0; n < minSteps || Stopwatch.GetTimestamp() < until; n++, i++) step(i);
            Thread.Sleep(200);
        }
    }
}
