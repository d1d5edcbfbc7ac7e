using System.Runtime.CompilerServices;
namespace Edge.Families.Gla;

/// <summary>
/// Draws a token from logits: top-k (default 100) with temperature, seeded; or greedy (arg max). Ties at
/// the k-th value are all kept, as Lina-Speech's <c>topk_sampling</c> keeps them. Allocates nothing per draw.
/// </summary>
public sealed class TopKSampler
{
    private readonly float[] _scratch;
    private Random _random;

    /// <summary>A sampler for logits of <paramref name="vocabulary"/> entries.</summary>
    /// <param name="vocabulary">Logits per draw.</param>
    /// <param name="topK">Candidates kept (the k largest logits); 1 is greedy.</param>
    /// <param name="temperature">Divides the logits before the softmax; must be positive.</param>
    /// <param name="seed">Seed of the draws: the same seed gives the same tokens.</param>
    public TopKSampler(int vocabulary, int topK = 100, float temperature = 1f, int seed = 0)
    {
        Fail.If(vocabulary < 1, EdgeErrorCode.InvalidArgument, "sampler: the vocabulary must have at least one entry.");
        Fail.If(topK < 1, EdgeErrorCode.InvalidArgument, $"sampler: top-k is {topK}; it must be at least 1.");
        Fail.If(!(temperature > 0) || !float.IsFinite(temperature), EdgeErrorCode.InvalidArgument, $"sampler: temperature is {temperature}; it must be a positive number.");
        _scratch = new float[vocabulary];
        _random = new Random(seed);
        TopK = topK;
        Temperature = temperature;
    }

    /// <summary>Restarts the draws from <paramref name="seed"/>, as a new sampler with that seed would make them.</summary>
    public void Reseed(int seed) => _random = new Random(seed);

    /// <summary>Candidates kept per draw.</summary>
    public int TopK { get; }

    /// <summary>The softmax temperature.</summary>
    public float Temperature { get; }

    /// <summary>Draws one index from the top-k of <paramref name="logits"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Sample(ReadOnlySpan<float> logits)
    {
        if (logits.Length != _scratch.Length) throw new ArgumentException($"logits has length {logits.Length}, expected {_scratch.Length}.", nameof(logits));
        int k = Math.Min(TopK, logits.Length);
        if (k == 1) return ArgMax(logits);
        logits.CopyTo(_scratch);
        float threshold = KthLargest(_scratch, k);
        float max = float.NegativeInfinity;
        foreach (float l in logits) max = MathF.Max(max, l);
        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
            if (logits[i] >= threshold) sum += Math.Exp((logits[i] - max) / Temperature);
        double u = _random.NextDouble() * sum;
        int last = -1;
        for (int i = 0; i < logits.Length; i++)
        {
            if (logits[i] < threshold) continue;
            last = i;
            u -= Math.Exp((logits[i] - max) / Temperature);
            if (u < 0) return i;
        }
        return last;   // rounding left u a hair above zero: the last candidate
    }

    /// <summary>The index of the largest logit (the first one on ties).</summary>
    public static int ArgMax(ReadOnlySpan<float> logits)
    {
        int best = 0;
        for (int i = 1; i < logits.Length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }

    // Quickselect (Hoare partition, middle pivot) for the k-th largest; reorders a.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float KthLargest(float[] a, int k)
    {
        int lo = 0, hi = a.Length - 1, target = k - 1;
        while (lo < hi)
        {
            float pivot = a[(lo + hi) >>> 1];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (a[i] > pivot) i++;
                while (a[j] < pivot) j--;
                if (i <= j) { (a[i], a[j]) = (a[j], a[i]); i++; j--; }
            }
            if (target <= j) hi = j;
            else if (target >= i) lo = i;
            else return a[target];
        }
        return a[target];
    }
}
