using Edge.Streams;

namespace Edge.Runtime.Tests.Aaren;

/// <summary>
/// Packages written from docs/families/aaren.md alone (random weights, random sizes, 1 to 8 heads) run through the
/// stream must match the independent parallel form to 1e-4 over 2,000 steps.
/// </summary>
public sealed class AarenParallelFormTests
{
    internal const int Steps = 2000;
    internal const double Tolerance = 1e-4;

    public static TheoryData<int, int> Cases()
    {
        var data = new TheoryData<int, int>();
        for (int heads = 1; heads <= 8; heads++) data.Add(100 + heads, heads);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Stream_matches_the_parallel_form(int seed, int heads)
    {
        var spec = AarenSpec.Random(seed, heads);
        var inputs = spec.RandomInputs(Steps, seed + 1);
        var (maxErr, _) = Compare(spec, inputs);
        Assert.True(maxErr <= Tolerance, $"max |stream − parallel| = {maxErr:E3} for {Describe(spec)}");
    }

    internal static (double MaxErr, double MaxScore) Compare(AarenSpec spec, float[] inputs)
    {
        using var dir = new TempFolder();
        using var model = EdgeModel.Load(spec.WritePackage(dir.Path));
        using var stream = model.CreateStream();
        var (expected, m, _, _) = ParallelAarenOracle.Run(spec, inputs, Steps);
        var output = new float[spec.OutputDim];
        double maxErr = 0;
        for (int t = 0; t < Steps; t++)
        {
            stream.Step(inputs.AsSpan(t * spec.InputDim, spec.InputDim), output);
            for (int i = 0; i < spec.OutputDim; i++)
            {
                Assert.False(float.IsNaN(output[i]), $"NaN at step {t}");
                maxErr = Math.Max(maxErr, Math.Abs(output[i] - expected[t * spec.OutputDim + i]));
            }
        }
        return (maxErr, m.Max(Math.Abs));
    }

    internal static string Describe(AarenSpec s) =>
        $"F={s.InputDim} D={s.DModel} NH={s.Heads} L={s.Layers} Fd={s.FfnDim} {s.Activation} O={s.OutputDim}";
}
