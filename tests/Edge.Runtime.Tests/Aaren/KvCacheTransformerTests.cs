using Edge.Diagnostics;
using Edge.Diagnostics.Baselines;
using Edge.Streams;

namespace Edge.Runtime.Tests.Aaren;

/// <summary>The Transformer baseline computes real causal attention over a cache that grows by one step's k and v per step.</summary>
public sealed class KvCacheTransformerTests
{
    [Theory]
    [InlineData(31, 1)]
    [InlineData(32, 4)]
    [InlineData(33, 8)]
    public void Matches_causal_softmax_attention_in_double_while_the_cache_doubles_from_one_step(int seed, int heads)
    {
        var spec = AarenSpec.Random(seed, heads);
        using var dir = new TempFolder();
        using var model = EdgeModel.Load(spec.WritePackage(dir.Path));
        var transformer = KvCacheTransformer.For(model, capacity: 1);
        const int steps = 300;
        var inputs = spec.RandomInputs(steps, seed + 1);
        var expected = CausalTransformerOracle.Run(spec, inputs, steps);
        var output = new float[spec.OutputDim];
        double maxErr = 0;
        for (int t = 0; t < steps; t++)
        {
            transformer.Step(inputs.AsSpan(t * spec.InputDim, spec.InputDim), output);
            for (int i = 0; i < spec.OutputDim; i++) maxErr = Math.Max(maxErr, Math.Abs(output[i] - expected[t * spec.OutputDim + i]));
        }
        Assert.True(maxErr <= 1e-4, $"max |transformer − oracle| = {maxErr:E3} ({AarenParallelFormTests.Describe(spec)})");
        Assert.Equal(steps, transformer.Length);
        Assert.Equal(steps * 2L * spec.Layers * spec.DModel * 4, transformer.CacheBytes);
    }

    [Fact]
    public void Truncate_forgets_later_steps_so_the_next_step_equals_a_fresh_run_of_the_same_prefix()
    {
        var spec = AarenSpec.Random(34, heads: 2);
        using var dir = new TempFolder();
        using var model = EdgeModel.Load(spec.WritePackage(dir.Path));
        var inputs = spec.RandomInputs(50, 35);
        var a = KvCacheTransformer.For(model);
        var b = KvCacheTransformer.For(model);
        var ya = new float[spec.OutputDim];
        var yb = new float[spec.OutputDim];
        for (int t = 0; t < 50; t++) a.Step(inputs.AsSpan(t * spec.InputDim, spec.InputDim), ya);
        a.Truncate(20);
        for (int t = 0; t < 20; t++) b.Step(inputs.AsSpan(t * spec.InputDim, spec.InputDim), yb);
        a.Step(inputs.AsSpan(20 * spec.InputDim, spec.InputDim), ya);
        b.Step(inputs.AsSpan(20 * spec.InputDim, spec.InputDim), yb);
        Assert.Equal(yb, ya);
    }

    [Fact]
    public void Constant_memory_benchmark_reports_constant_aaren_state_linear_cache_and_no_aaren_allocation()
    {
        var spec = AarenSpec.Random(36, heads: 4, layers: 2);
        using var dir = new TempFolder();
        using var model = EdgeModel.Load(spec.WritePackage(dir.Path));
        var r = ConstantMemoryBenchmark.Run(model, [200, 400, 800], window: 100, warmupSeconds: 0);
        Assert.Equal([200L, 400, 800], r.Rows.Select(x => x.Steps));
        Assert.All(r.Rows, x => Assert.Equal(model.State.Bytes, x.AarenStateBytes));
        Assert.All(r.Rows, x => Assert.Equal(x.Steps * 2L * spec.Layers * spec.DModel * 4, x.TransformerCacheBytes));
        Assert.All(r.Rows, x => Assert.True(x.AarenUsPerStep > 0 && x.TransformerUsPerStep > 0));
        Assert.Equal(0, r.AarenAllocBytesPerStep);
        Assert.Equal(0, r.TransformerAllocBytesPerStep);   // the cache is reserved before timing
        Assert.Equal(8, r.CurveSteps.Count);
    }

    [Fact]
    public void The_baseline_needs_an_aaren_model()
    {
        string gru = Directory.GetDirectories(RepoPaths.Fixtures("gru-attention")).First(d => File.Exists(Path.Combine(d, "model.json")));
        using var model = EdgeModel.Load(gru);
        var e = Assert.Throws<EdgeException>(() => ConstantMemoryBenchmark.Run(model, [10]));
        Assert.Equal(EdgeErrorCode.UnsupportedFamily, e.Code);
    }
}
