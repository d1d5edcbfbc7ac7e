using Edge.Streams;

namespace Edge.Onnx.Tests;

public class StreamBatchOnnxTests
{
    [Fact]
    public void A_model_without_a_batched_step_is_batched_one_stream_after_another_with_the_same_results()
    {
        using var model = EdgeModel.Load(RepoPaths.Models("gru-attention-ecg"), new EdgeModelOptions { Backend = TestBackends.Onnx() });
        using var probe = new StreamBatch(model, 1);
        Assert.False(probe.IsBatched);
        int shared = BatchParity.AssertSameAsAlone(model, streams: 4, steps: 40, (k, t) => Rand.Uniform(new Random(1000 * k + t), 1, 1f));
        Assert.True(shared > 30);
    }

    [Fact]
    public void Stepped_one_after_another_the_members_before_a_failing_one_keep_the_step_they_took()
    {
        using var model = EdgeModel.Load(RepoPaths.Models("lina-reference"), new EdgeModelOptions { Backend = TestBackends.Onnx() });
        using var batch = new StreamBatch(model, 2);
        Assert.False(batch.IsBatched);
        using var spoken = model.CreateStream();
        using var silent = model.CreateStream();
        spoken.GetFeature<ITextConditioning>()!.SetText("hello there.");
        batch.Add(spoken);
        batch.Add(silent);
        var inputs = new float[batch.InputLength];
        var e = Assert.Throws<EdgeException>(() => batch.Step(inputs, new float[batch.OutputLength]));
        Assert.Equal(EdgeErrorCode.TextRequired, e.Code);
        Assert.Equal(1, spoken.StepCount);   // it advanced before the second member failed, and counts it
        Assert.Equal(0, silent.StepCount);

        using var alone = model.CreateStream();
        alone.GetFeature<ITextConditioning>()!.SetText("hello there.");
        alone.Step(new float[model.InputSize], new float[model.OutputSize]);
        Assert.Equal(alone.Snapshot().Bytes, spoken.Snapshot().Bytes);
    }
}
