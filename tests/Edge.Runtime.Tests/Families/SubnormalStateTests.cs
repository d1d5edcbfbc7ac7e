using Edge.Streams;

namespace Edge.Runtime.Tests.Families;

/// <summary>
/// Subnormal (denormal) values in a stream's state. Edge does not flush them to zero (on the AMD EPYC it was measured
/// on they cost a step nothing: bench/README.md, <c>DenormalBenchmarks</c>); what a user must be able to rely on is
/// that they change nothing visible: a state whose recurrent entries are all subnormal steps to the outputs of the same
/// state with those entries zeroed (what flushing would have left), bit for bit, and stays finite.
/// </summary>
public class SubnormalStateTests
{
    public static IEnumerable<object[]> Models() =>
    [
        // model, the recurrent entries made subnormal (float32 ≤ 1e-39, float64 ≤ 1e-310)
        ["lina-reference", ".S"],   // gla-tts: every layer's GLA state S
        ["tts-default", ".S"],
        ["gru-attention-ecg", "h"], // gru-attention: the GRU's hidden state
        ["aaren-co2", "a"],         // aaren: the running softmax's weighted sums (float64)
    ];

    [Theory]
    [MemberData(nameof(Models))]
    public void A_state_with_subnormal_recurrent_entries_steps_to_exactly_the_outputs_of_the_same_state_with_them_zeroed(string name, string entry)
    {
        using var model = EdgeModel.Load(RepoPaths.Models(name));
        using var stream = model.CreateStream();
        using var flushed = model.CreateStream();
        foreach (var s in new[] { stream, flushed })
            s.GetFeature<ITextConditioning>()?.SetTextIds([1, .. Enumerable.Range(3, 20), 2]);
        int vocabulary = model.StepModel.InputVocabulary;
        var rng = new Random(3);
        var x = new float[model.InputSize];
        var y = new float[model.OutputSize];
        var yFlushed = new float[model.OutputSize];
        void Next()
        {
            for (int i = 0; i < x.Length; i++) x[i] = vocabulary > 0 ? rng.Next(vocabulary) : (float)(rng.NextDouble() * 2 - 1);
        }
        for (int t = 0; t < 50; t++)
        {
            Next();
            stream.Step(x, y);
        }

        var subnormal = stream.Snapshot();
        var zeroed = stream.Snapshot();
        var entries = model.State.Entries.Where(e => e.Name == entry || (entry[0] == '.' && e.Name.EndsWith(entry, StringComparison.Ordinal))).ToArray();
        Assert.NotEmpty(entries);
        long made = 0;
        foreach (var e in entries)
        {
            if (e.DType == StateDType.F64)
            {
                Span<double> d = subnormal.Doubles(e.Name);
                double max = Math.Max(double.Epsilon, MaxAbs(d));
                for (int i = 0; i < d.Length; i++) d[i] = d[i] / max * 1e-310;
                made += d.ToArray().Count(double.IsSubnormal);
                zeroed.Doubles(e.Name).Clear();
            }
            else
            {
                Span<float> f = subnormal.Floats(e.Name);
                double max = Math.Max(float.Epsilon, MaxAbs(f));
                for (int i = 0; i < f.Length; i++) f[i] = (float)(f[i] / max * 1e-39);
                made += f.ToArray().Count(float.IsSubnormal);
                zeroed.Floats(e.Name).Clear();
            }
        }
        Assert.True(made > entries.Sum(e => e.Length) / 2, $"only {made} subnormal values made");

        stream.Restore(subnormal);
        flushed.Restore(zeroed);
        double worst = 0, largest = 0;
        for (int t = 0; t < 30; t++)
        {
            Next();
            stream.Step(x, y);
            flushed.Step(x, yFlushed);
            for (int i = 0; i < y.Length; i++)
            {
                Assert.True(float.IsFinite(y[i]), $"{name} step {t} output {i} = {y[i]}");
                worst = Math.Max(worst, Math.Abs(y[i] - yFlushed[i]));
                largest = Math.Max(largest, Math.Abs(yFlushed[i]));
            }
        }
        Assert.Null(model.State.FirstInvalidValue(stream.Snapshot().Bytes));
        // Subnormals are below 2^-126, far under half an ulp of the O(1) values they are added to, so they round away:
        // the outputs are the zeroed state's bit for bit (measured on all four models), not merely close.
        Assert.True(worst == 0, $"{name}: outputs differ by {worst:E2} (largest |output| {largest:G4})");
    }

    private static double MaxAbs(ReadOnlySpan<float> values)
    {
        double max = 0;
        foreach (float v in values) max = Math.Max(max, Math.Abs(v));
        return max;
    }

    private static double MaxAbs(ReadOnlySpan<double> values)
    {
        double max = 0;
        foreach (double v in values) max = Math.Max(max, Math.Abs(v));
        return max;
    }
}
