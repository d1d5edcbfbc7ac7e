using System.Diagnostics;

namespace Edge.Monitor.Tests;

/// <summary>Waits for a condition with a generous limit (a limit to stop a hung test, not a timing assertion).</summary>
public static class Eventually
{
    public static async Task<bool> TrueAsync(Func<bool> condition, double seconds = 120)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed.TotalSeconds > seconds) return false;
            await Task.Delay(50);
        }
        return true;
    }
}
