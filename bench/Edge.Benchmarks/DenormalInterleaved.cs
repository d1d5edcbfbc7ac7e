using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Edge.Streams;

namespace Edge.Benchmarks;

/// <summary>
/// The cases of <see cref="DenormalBenchmarks"/> run in turn rather than one after the other, for a shared machine:
/// <c>dotnet run -c Release --project bench/Edge.Benchmarks -- denormal-interleaved [ROUNDS]</c>. Each round times a
/// short block of every filling of a category, in a rotating order, so all three see the same interference; the
/// fastest block of each (and the median) is printed with its ratio to the zero filling. BenchmarkDotNet runs a
/// case's iterations back to back, and on a machine whose load moves by 2× within a minute that ratio drifts more
/// than the effect being measured.
/// </summary>
internal static class DenormalInterleaved
{
    public static void Run(int rounds)
    {
        var bench = new DenormalBenchmarks();
        bench.Setup();
        try
        {
            var categories = typeof(DenormalBenchmarks).GetMethods()
                .Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null)
                .GroupBy(m => m.GetCustomAttribute<BenchmarkCategoryAttribute>()!.Categories[0]);
            var c = CultureInfo.InvariantCulture;
            Console.WriteLine($"{"category",-38} {"filling",-20} {"fastest µs",11} {"ratio",6} {"median µs",11} {"ratio",6}");
            foreach (var category in categories)
            {
                var cases = category.OrderByDescending(m => m.GetCustomAttribute<BenchmarkAttribute>()!.Baseline).ToArray();
                var calls = cases.Select(m => m.CreateDelegate<Action>(bench)).ToArray();
                int reps = Repetitions(calls[0]);
                var times = cases.Select(_ => new List<double>(rounds)).ToArray();
                foreach (var call in calls) Block(call, reps);
                for (int r = 0; r < rounds; r++)
                {
                    for (int i = 0; i < calls.Length; i++)
                    {
                        int k = (i + r) % calls.Length;
                        times[k].Add(Block(calls[k], reps));
                    }
                }
                double fastest0 = times[0].Min(), median0 = Median(times[0]);
                for (int k = 0; k < cases.Length; k++)
                {
                    double fastest = times[k].Min(), median = Median(times[k]);
                    Console.WriteLine(string.Create(c,
                        $"{category.Key,-38} {cases[k].Name,-20} {fastest,11:F3} {fastest / fastest0,6:F2} {median,11:F3} {median / median0,6:F2}"));
                }
            }
        }
        finally
        {
            bench.Cleanup();
        }
    }

    /// <summary>
    /// How many of tts-default's state values are subnormal, entry by entry, over <paramref name="steps"/> steps of one
    /// repeated token (id 0) on a 64-token text after 4,000 random tokens (the soak's first phases): where a long
    /// run of one input leaves them in practice.
    /// </summary>
    public static void CountAfterRepeatedToken(long steps)
    {
        using var model = EdgeModel.Load(BenchPaths.Model("tts-default"));
        using var stream = model.CreateStream();
        stream.GetFeature<ITextConditioning>()!.SetTextIds([1, .. Enumerable.Range(0, 62).Select(i => 3 + i % 37), 2]);
        var x = new float[model.InputSize];
        var y = new float[model.OutputSize];
        var state = new StreamState(model);
        var c = CultureInfo.InvariantCulture;
        var rng = new Random(1);
        for (int i = 0; i < 4000; i++)
        {
            x[0] = rng.Next(model.StepModel.InputVocabulary);
            stream.Step(x, y);
        }
        x[0] = 0;
        for (long done = 0; done < steps;)
        {
            long block = Math.Min(steps - done, 2000);
            for (long i = 0; i < block; i++) stream.Step(x, y);
            done += block;
            stream.Snapshot(state);
            long subnormal = 0, values = 0;
            var counts = new List<string>();
            foreach (var e in model.State.Entries)
            {
                var f = StateLayout.Floats(state.Bytes, e);
                int n = 0;
                float smallest = float.PositiveInfinity;
                foreach (float v in f)
                {
                    if (float.IsSubnormal(v)) n++;
                    if (v != 0) smallest = Math.Min(smallest, Math.Abs(v));
                }
                subnormal += n;
                values += f.Length;
                if (n > 0) counts.Add(string.Create(c, $"{e.Name} {n} (smallest |value| {smallest:G3})"));
            }
            Console.WriteLine(string.Create(c, $"after {done,7:N0} steps of token 0: {subnormal:N0} of {values:N0} state values subnormal{(counts.Count > 0 ? ": " + string.Join(", ", counts) : "")}"));
        }
    }

    // Enough calls for a block of about 200 µs, so a block is long against the timer and short against the load's swings.
    private static int Repetitions(Action call)
    {
        for (int i = 0; i < 50; i++) call();
        double one = Block(call, 10);
        return (int)Math.Clamp(200 / Math.Max(one, 1e-3), 1, 10_000);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Block(Action call, int reps)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < reps; i++) call();
        return Stopwatch.GetElapsedTime(start).TotalMicroseconds / reps;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
