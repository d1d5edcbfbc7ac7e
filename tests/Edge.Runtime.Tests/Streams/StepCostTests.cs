using Edge.Backends;
using Edge.Diagnostics;
using Edge.Packages;
using Edge.Streams;

namespace Edge.Runtime.Tests.Streams;

/// <summary>What a step reads and computes (<see cref="IStepCost"/>), as <c>edge bench --roofline</c> prints it, from each family's sizes.</summary>
public sealed class StepCostTests
{
    private static IStepCost Cost(EdgeModel model) => model.StepCost ?? throw new InvalidOperationException($"{model.Family} reports no step cost");

    [Fact]
    public void The_ecg_gru_step_reads_its_weights_and_state_and_counts_the_flops_of_its_products()
    {
        // input 1, hidden 48, one layer, attention 16, output 1, unwindowed.
        using var model = EdgeModel.Load(RepoPaths.Models("gru-attention-ecg"), new EdgeModelOptions { Precision = WeightPrecision.Fp32 });
        var cost = Cost(model);
        // Products (2·rows·cols + rows): reset/update 96×49, input candidate 48×1, hidden candidate 48×48, attention 16×48, head 1×96;
        // gates 8·48; attention tanh + dot 3·16; input and output scaling 2 + 2; running softmax 8·48.
        long flops = (2 * 96 * 49 + 96) + (2 * 48 + 48) + (2 * 48 * 48 + 48) + 8 * 48 + (2 * 16 * 48 + 16) + (2 * 96 + 1) + 3 * 16 + 4 + 8 * 48;
        Assert.Equal(16_869, flops);
        Assert.Equal(flops, cost.FlopsPerStep);
        Assert.Equal(2 * (4 * 48 + 8 * (1 + 1 + 48)), cost.StateBytesPerStep);   // h (f32) and m, c, a (f64) read and written
        // 8,149 floats of weights, biases and scalers; panels may pad the matrices' rows, never by a fifth.
        const long floats = 3 * 48 * 1 + 3 * 48 * 48 + 4 * 48 + 16 * 48 + 16 + 16 + 96 + 1 + 4;
        Assert.InRange(cost.WeightBytesPerStep, 4 * floats, 4 * floats * 6 / 5);
        using var int8 = EdgeModel.Load(RepoPaths.Models("gru-attention-ecg"), new EdgeModelOptions { Precision = WeightPrecision.Int8 });
        Assert.Equal(flops, Cost(int8).FlopsPerStep);
        Assert.InRange(Cost(int8).WeightBytesPerStep, floats, cost.WeightBytesPerStep * 2 / 5);   // a byte a weight, plus scales and fp32 vectors
    }

    [Fact]
    public void Aaren_reads_and_writes_its_double_state_and_cae_one_ring_row_plus_the_window_per_hop()
    {
        using var aaren = EdgeModel.Load(RepoPaths.Models("aaren-co2"));
        // 2 layers, 4 heads, d_model 32: m and c [2, 4] and a [2, 32] in f64, read and written.
        Assert.Equal(2 * 8 * (2 * 4 + 2 * 4 + 2 * 32), Cost(aaren).StateBytesPerStep);
        using var cae = EdgeModel.Load(RepoPaths.Models("laser-detector"));
        // 5 features, window 64, hop 1: a row and four counters written each step, the whole ring read each hop.
        Assert.Equal(4 * (5 + 4) + 4 * 64 * 5, Cost(cae).StateBytesPerStep);
        foreach (var m in new[] { aaren, cae })
        {
            Assert.True(Cost(m).FlopsPerStep > 2 * Cost(m).WeightBytesPerStep / 4 / 2, $"{m.Family}: {Cost(m).FlopsPerStep} FLOPs for {Cost(m).WeightBytesPerStep} weight bytes");
        }
    }

    [Fact]
    public void A_gla_step_reads_its_step_weights_and_its_whole_state_and_does_two_flops_a_weight_plus_the_recurrence()
    {
        using var model = EdgeModel.Load(RepoPaths.Models("lina-reference"), new EdgeModelOptions { Precision = WeightPrecision.Fp32 });
        var gla = (Edge.Families.Gla.GlaTtsModel)model.StepModel;
        var cost = Cost(model);
        Assert.Equal(gla.StepWeightBytes, cost.WeightBytesPerStep);
        Assert.Equal(2L * model.State.Bytes, cost.StateBytesPerStep);
        var c = gla.Config;
        long s = (c.EncoderLayers + c.DecoderLayers) * (long)c.MainLayer.StateMatrixLength + c.PosNetLayer.StateMatrixLength;
        Assert.InRange(cost.FlopsPerStep - 2 * gla.StepWeightFloats, 5 * s, 5 * s + model.State.Bytes);
    }

    [Fact]
    public void The_bandwidth_probe_reads_any_size_on_any_thread_count_in_every_pattern()
    {
        foreach (var (bytes, threads) in new[] { (5_000L, 1), (100_000L, 3), (3L << 20, 2) })
        {
            var rates = MemoryBandwidth.MeasurePatterns(bytes, 1, threads);
            Assert.Equal(MemoryBandwidth.Patterns.Count, rates.Length);
            Assert.All(rates, r => Assert.True(r > 0 && double.IsFinite(r), $"{bytes} bytes on {threads} threads: {r}"));
        }
        Assert.True(PeakFlops.MeasureFlopsPerSecond(2, 1000, 1) > 0);
        var e = Assert.Throws<EdgeException>(() => MemoryBandwidth.MeasurePatterns(1 << 20, 0, 1));
        Assert.Equal(EdgeErrorCode.InvalidArgument, e.Code);
    }
}
