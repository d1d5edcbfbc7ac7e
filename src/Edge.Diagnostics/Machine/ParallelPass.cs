using System.Diagnostics;

namespace Edge.Diagnostics;

/// <summary>Times one pass of a probe on <c>threads</c> threads at once, from a common start to the last finish.</summary>
internal static class ParallelPass
{
    /// <summary>Seconds for <paramref name="work"/>(t) to run on every thread t in [0, threads); one thread runs on the caller.</summary>
    public static double Seconds(int threads, Func<int, float> work)
    {
        if (threads == 1)
        {
            long t0 = Stopwatch.GetTimestamp();
            float s = work(0);
            double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            GC.KeepAlive(s);
            return seconds;
        }
        using var start = new Barrier(threads + 1);
        using var done = new CountdownEvent(threads);
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int index = t;
            workers[t] = new Thread(() =>
            {
                start.SignalAndWait();
                GC.KeepAlive(work(index));
                done.Signal();
            }) { IsBackground = true };
            workers[t].Start();
        }
        start.SignalAndWait();
        long begin = Stopwatch.GetTimestamp();
        done.Wait();
        double elapsed = Stopwatch.GetElapsedTime(begin).TotalSeconds;
        foreach (var w in workers) w.Join();
        return elapsed;
    }
}
