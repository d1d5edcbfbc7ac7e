using Edge.Audio.Framing;
using Edge.Streams;

namespace Edge.Onnx.Tests;

/// <summary>Audio framed by Edge.Audio drives an onnx-stateful model: the framing lives outside the family.</summary>
public sealed class AudioPipelineTests
{
    [Fact]
    public void Streaming_frames_with_context_equals_framing_the_clip_first_and_allocates_nothing()
    {
        using var model = EdgeModel.Load(Repo.LstmStateful, new EdgeModelOptions { Backend = TestBackends.Onnx() });
        var clip = Enumerable.Range(0, 4 * 300 + 3).Select(i => MathF.Sin(i * 0.05f)).ToArray();

        // lstm-stateful takes 6 floats per step: 2 samples of context + a chunk of 4.
        var framer = new ChunkFramer(new ClipSampleProvider(clip, 16000), chunkSize: 4, contextSize: 2);
        Assert.Equal(model.InputSize, framer.FrameSize);
        var frame = new float[framer.FrameSize];
        var streamed = new float[301 * model.OutputSize];
        using (var stream = model.CreateStream())
        {
            framer.Read(frame);
            stream.Step(frame, streamed.AsSpan(0, model.OutputSize));
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int t = 1; framer.Read(frame) > 0; t++) stream.Step(frame, streamed.AsSpan(t * model.OutputSize, model.OutputSize));
            if (TestBackends.Provider == Providers.ExecutionProvider.Cpu) Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.Equal(301, framer.Frames);

        var frames = ChunkFramer.FrameAll(clip, 16000, 4, 2);
        var framedFirst = new float[streamed.Length];
        using (var stream = model.CreateStream())
        {
            for (int t = 0; t < 301; t++) stream.Step(frames.AsSpan(t * 6, 6), framedFirst.AsSpan(t * model.OutputSize, model.OutputSize));
        }
        Assert.Equal(framedFirst, streamed);
    }
}
