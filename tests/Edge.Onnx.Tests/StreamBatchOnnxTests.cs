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
}
