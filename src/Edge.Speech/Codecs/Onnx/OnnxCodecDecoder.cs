using Microsoft.ML.OnnxRuntime;

namespace Edge.Speech.Codecs.Onnx;

/// <summary>
/// Streams an ONNX decoder graph by windows. Block k (frames [kB, kB+B)) is decoded once frame kB+B+L-1 has
/// arrived, in a window [kB-C, kB+B+L) (clipped at the utterance start): C frames of left context, the block, L of
/// look-ahead. The block's first <c>crossfade</c> samples fade linearly from the previous window's look-ahead audio
/// to this window's; the rest is this window's. Finish decodes what is left in one last window.
/// </summary>
internal sealed class OnnxCodecDecoder : ICodecDecoder
{
    private readonly OnnxCodec _codec;
    private readonly OnnxCodecConfig _c;
    private readonly int[] _ring;        // the last WindowFrames frames, frame t at slot t % WindowFrames
    private readonly float[] _tail;      // the previous window's audio of the look-ahead frames after its block
    private readonly Dictionary<int, Window> _windows = [];   // by frame count: bound once, reused
    private readonly RunOptions _run = new();
    private long _received;
    private long _blockStart;            // the first frame whose audio is not yet written
    private bool _hasTail;
    private bool _disposed;

    public OnnxCodecDecoder(OnnxCodec codec)
    {
        _codec = codec;
        _c = codec.Config;
        _ring = new int[_c.WindowFrames * _c.Quantizers];
        _tail = new float[_c.Lookahead * _c.Hop];
        Bind(_c.WindowFrames);   // the steady-state window, so the first utterance does not bind it mid-stream
    }

    /// <inheritdoc />
    public int MaxSamplesPerPush => _c.Block * _c.Hop;

    /// <inheritdoc />
    public int MaxFinishSamples => (_c.Block + _c.Lookahead - 1) * _c.Hop;

    /// <inheritdoc />
    public int Push(ReadOnlySpan<int> frame, Span<float> audio)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Fail.If(frame.Length != _c.Quantizers, EdgeErrorCode.InvalidArgument, $"a frame of this codec is {_c.Quantizers} codes; got {frame.Length}.");
        Fail.If(audio.Length < MaxSamplesPerPush, EdgeErrorCode.InvalidArgument,
            $"the audio span holds {audio.Length} samples; Push needs MaxSamplesPerPush = {MaxSamplesPerPush}.");
        int slot = (int)(_received % _c.WindowFrames) * _c.Quantizers;
        for (int q = 0; q < frame.Length; q++)
        {
            int code = frame[q];
            Fail.If((uint)code >= (uint)_c.CodebookSize, EdgeErrorCode.InvalidArgument,
                $"code {code} (quantizer {q}) is outside the codebook [0, {_c.CodebookSize}).");
            _ring[slot + q] = code;
        }
        _received++;
        long blockEnd = _blockStart + _c.Block;
        if (_received < blockEnd + _c.Lookahead) return 0;
        return Emit(blockEnd, _received, audio, keepTail: true);
    }

    /// <inheritdoc />
    public int Finish(Span<float> audio)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        long rest = (_received - _blockStart) * _c.Hop;
        Fail.If(audio.Length < rest, EdgeErrorCode.InvalidArgument,
            $"the audio span holds {audio.Length} samples; Finish needs MaxFinishSamples = {MaxFinishSamples}.");
        int written = _received > _blockStart ? Emit(_received, _received, audio, keepTail: false) : 0;
        Reset();
        return written;
    }

    /// <inheritdoc />
    public void Reset()
    {
        _received = 0;
        _blockStart = 0;
        _hasTail = false;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var w in _windows.Values) w.Dispose();
        _run.Dispose();
    }

    // Decodes the window that ends at windowEnd and writes frames [_blockStart, blockEnd).
    private int Emit(long blockEnd, long windowEnd, Span<float> audio, bool keepTail)
    {
        long start = Math.Max(0, _blockStart - _c.LeftContext);
        var window = Decode(start, windowEnd);
        int hop = _c.Hop;
        int offset = (int)(_blockStart - start) * hop;
        int count = (int)(blockEnd - _blockStart) * hop;
        window.Audio.AsSpan(offset, count).CopyTo(audio);
        if (_hasTail)
        {
            int fade = Math.Min(_c.Crossfade, count);
            for (int s = 0; s < fade; s++)
            {
                float r = (s + 0.5f) / fade;
                audio[s] = (1 - r) * _tail[s] + r * audio[s];
            }
        }
        if (keepTail)
        {
            window.Audio.AsSpan(offset + count, _tail.Length).CopyTo(_tail);
            _hasTail = true;
        }
        _blockStart = blockEnd;
        return count;
    }

    private Window Decode(long start, long end)
    {
        int frames = (int)(end - start);
        var w = Bind(frames);
        int nq = _c.Quantizers;
        for (long t = start; t < end; t++)
        {
            int slot = (int)(t % _c.WindowFrames) * nq;
            for (int q = 0; q < nq; q++) w.Codes[q * frames + (t - start)] = _ring[slot + q];
        }
        try
        {
            _codec.Session.RunWithBinding(_run, w.Binding);
        }
        catch (OnnxRuntimeException e)
        {
            throw new EdgeException(EdgeErrorCode.NativeError,
                $"{_codec.GraphName}: ONNX Runtime failed decoding {frames} frames into {frames * _c.Hop} samples: {OnnxCodec.FirstLine(e.Message)}", e);
        }
        return w;
    }

    private Window Bind(int frames)
    {
        if (_windows.TryGetValue(frames, out var w)) return w;
        w = new Window(_codec, frames);
        _windows.Add(frames, w);
        return w;
    }

    /// <summary>Input and output tensors of one window length over pinned arrays, bound once.</summary>
    private sealed class Window : IDisposable
    {
        private readonly OrtValue _input, _output;

        public Window(OnnxCodec codec, int frames)
        {
            var c = codec.Config;
            Codes = new long[c.Quantizers * frames];
            Audio = new float[frames * c.Hop];
            long[] outShape = codec.OutputRank == 3 ? [1, 1, Audio.Length] : [1, Audio.Length];
            _input = OrtValue.CreateTensorValueFromMemory(Codes, [1, c.Quantizers, frames]);
            _output = OrtValue.CreateTensorValueFromMemory(Audio, outShape);
            Binding = codec.Session.CreateIoBinding();
            Binding.BindInput(c.Input, _input);
            Binding.BindOutput(codec.OutputName, _output);
        }

        public long[] Codes { get; }

        public float[] Audio { get; }

        public OrtIoBinding Binding { get; }

        public void Dispose()
        {
            Binding.Dispose();
            _input.Dispose();
            _output.Dispose();
        }
    }
}
