using Edge.Audio.Framing;
using NAudio.Wave;

namespace Edge.Audio.Tests;

public sealed class ChunkFramerTests
{
    private static float[] Ramp(int n) => Enumerable.Range(1, n).Select(i => (float)i).ToArray();

    private static List<float[]> AllFrames(ChunkFramer framer)
    {
        var frames = new List<float[]>();
        var frame = new float[framer.FrameSize];
        while (framer.Read(frame) > 0) frames.Add(frame.ToArray());
        return frames;
    }

    [Fact]
    public void Each_frame_is_the_previous_chunks_tail_then_the_next_chunk_with_zeros_before_the_first()
    {
        var frames = AllFrames(new ChunkFramer(new ClipSampleProvider(Ramp(10), 16000), chunkSize: 4, contextSize: 2));
        Assert.Equal(3, frames.Count);
        Assert.Equal([0, 0, 1, 2, 3, 4], frames[0]);
        Assert.Equal([3, 4, 5, 6, 7, 8], frames[1]);
        Assert.Equal([7, 8, 9, 10, 0, 0], frames[2]);   // last partial chunk zero-padded
    }

    [Fact]
    public void Without_context_frames_are_plain_chunks_and_the_tail_can_be_dropped()
    {
        var frames = AllFrames(new ChunkFramer(new ClipSampleProvider(Ramp(10), 16000), 4, 0, padLast: false));
        Assert.Equal(2, frames.Count);
        Assert.Equal([1, 2, 3, 4], frames[0]);
        Assert.Equal([5, 6, 7, 8], frames[1]);
    }

    [Fact]
    public void Short_reads_from_the_source_still_fill_whole_chunks()
    {
        var framer = new ChunkFramer(new Trickle(Ramp(512 * 3), 37), 512, 64);
        var frames = AllFrames(framer);
        Assert.Equal(3, frames.Count);
        Assert.Equal(3, framer.Frames);
        Assert.Equal(Ramp(512 * 3).AsSpan(512 - 64, 576).ToArray(), frames[1]);
    }

    [Fact]
    public void Frame_all_equals_reading_frame_by_frame()
    {
        var samples = Ramp(1000);
        var all = ChunkFramer.FrameAll(samples, 16000, 96, 32);
        var frames = AllFrames(new ChunkFramer(new ClipSampleProvider(samples, 16000), 96, 32));
        Assert.Equal(frames.SelectMany(f => f).ToArray(), all);
        Assert.Equal(11 * 128, all.Length);
    }

    [Fact]
    public void Reading_a_frame_allocates_nothing()
    {
        var framer = new ChunkFramer(new ClipSampleProvider(new float[512 * 200], 16000), 512, 64);
        var frame = new float[framer.FrameSize];
        framer.Read(frame);
        long before = GC.GetAllocatedBytesForCurrentThread();
        while (framer.Read(frame) > 0)
        {
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(4, 5)]
    [InlineData(4, -1)]
    public void Bad_sizes_are_refused(int chunk, int context)
    {
        var e = Assert.Throws<EdgeException>(() => new ChunkFramer(new ClipSampleProvider([], 16000), chunk, context));
        Assert.Equal(EdgeErrorCode.InvalidArgument, e.Code);
    }

    [Fact]
    public void Stereo_sources_are_refused_with_what_to_do()
    {
        var stereo = new Trickle([], 4, channels: 2);
        var e = Assert.Throws<EdgeException>(() => new ChunkFramer(stereo, 4));
        Assert.Contains("Mix it down first", e.Message);
    }

    /// <summary>A source that returns at most a few samples per read, as a capture device does.</summary>
    private sealed class Trickle(float[] samples, int most, int channels = 1) : ISampleProvider
    {
        private int _at;

        public WaveFormat WaveFormat { get; } = WaveFormat.CreateIeeeFloatWaveFormat(16000, channels);

        public int Read(Span<float> buffer)
        {
            int n = Math.Min(Math.Min(most, buffer.Length), samples.Length - _at);
            samples.AsSpan(_at, n).CopyTo(buffer);
            _at += n;
            return n;
        }
    }
}
