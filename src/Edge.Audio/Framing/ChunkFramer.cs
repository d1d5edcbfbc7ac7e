using NAudio.Wave;

namespace Edge.Audio.Framing;

/// <summary>
/// Cuts a sample stream into the fixed frames a stateful audio model steps on: each frame is the last
/// <see cref="ContextSize"/> samples of the previous chunk (zeros before the first) followed by the next
/// <see cref="ChunkSize"/> samples. Silero-style voice-activity models take 512 samples plus 64 of context
/// at 16 kHz. Pull-based: <see cref="Read"/> fills one frame, 0 means the source has ended. Allocates nothing per frame.
/// </summary>
public sealed class ChunkFramer
{
    private readonly ISampleProvider _source;
    private readonly float[] _frame;
    private bool _ended;

    /// <summary>Frames <paramref name="source"/> (mono) into chunks of <paramref name="chunkSize"/> with <paramref name="contextSize"/> samples of context.</summary>
    /// <param name="source">Mono samples; read until it returns 0.</param>
    /// <param name="chunkSize">New samples per frame.</param>
    /// <param name="contextSize">Samples of the previous chunk repeated at the start of each frame (0 for none); at most <paramref name="chunkSize"/>.</param>
    /// <param name="padLast">Zero-pad a final partial chunk into a frame (true), or drop it (false).</param>
    public ChunkFramer(ISampleProvider source, int chunkSize, int contextSize = 0, bool padLast = true)
    {
        if (source.WaveFormat.Channels != 1)
            throw new EdgeException(EdgeErrorCode.InvalidArgument, $"ChunkFramer frames mono audio; the source has {source.WaveFormat.Channels} channels. Mix it down first (WavReader.ReadMono does).");
        if (chunkSize < 1 || contextSize < 0 || contextSize > chunkSize)
            throw new EdgeException(EdgeErrorCode.InvalidArgument, $"chunk size {chunkSize} and context {contextSize}: the chunk must be at least 1 and the context between 0 and the chunk size.");
        _source = source;
        ChunkSize = chunkSize;
        ContextSize = contextSize;
        PadLast = padLast;
        _frame = new float[contextSize + chunkSize];
    }

    /// <summary>New samples per frame.</summary>
    public int ChunkSize { get; }

    /// <summary>Samples of the previous chunk at the start of each frame.</summary>
    public int ContextSize { get; }

    /// <summary>Floats per frame: context then chunk; the model's input size.</summary>
    public int FrameSize => ContextSize + ChunkSize;

    /// <summary>Whether a final partial chunk is zero-padded into a frame.</summary>
    public bool PadLast { get; }

    /// <summary>Frames produced so far.</summary>
    public long Frames { get; private set; }

    /// <summary>Fills <paramref name="frame"/> (at least <see cref="FrameSize"/> long) with the next frame; returns <see cref="FrameSize"/>, or 0 at the end.</summary>
    public int Read(Span<float> frame)
    {
        if (frame.Length < FrameSize)
            throw new EdgeException(EdgeErrorCode.InvalidArgument, $"frame buffer holds {frame.Length} floats; a frame is {FrameSize}.");
        if (_ended) return 0;
        // The context is the tail of the previous frame's chunk: slide it to the front, then fill the chunk.
        _frame.AsSpan(ChunkSize, ContextSize).CopyTo(_frame);
        var chunk = _frame.AsSpan(ContextSize, ChunkSize);
        int got = 0;
        while (got < ChunkSize)
        {
            int n = _source.Read(chunk[got..]);
            if (n == 0) break;
            got += n;
        }
        if (got < ChunkSize)
        {
            _ended = true;
            if (got == 0 || !PadLast) return 0;
            chunk[got..].Clear();
        }
        _frame.CopyTo(frame);
        Frames++;
        return FrameSize;
    }

    /// <summary>Frames a whole mono clip at once: [frames, FrameSize] row-major, the input of <c>edge run</c>.</summary>
    public static float[] FrameAll(ReadOnlySpan<float> samples, int sampleRate, int chunkSize, int contextSize = 0, bool padLast = true)
    {
        var framer = new ChunkFramer(new ClipSampleProvider(samples.ToArray(), sampleRate), chunkSize, contextSize, padLast);
        int count = padLast ? (samples.Length + chunkSize - 1) / chunkSize : samples.Length / chunkSize;
        var frames = new float[count * framer.FrameSize];
        for (int f = 0; f < count; f++) framer.Read(frames.AsSpan(f * framer.FrameSize, framer.FrameSize));
        return frames;
    }
}
