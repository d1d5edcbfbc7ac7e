using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NWaves.Transforms;

namespace Edge.Speech.Codecs.MelVq;

/// <summary>
/// The streaming mel-vq decoder (RTISI-LA with Jacobi updates), operation for operation as the reference
/// <c>decode()</c>: a new frame starts from the phase of the signal the frames before it already make; then
/// <c>iterations</c> times every frame of the active window [m-L, m] takes the phase of the least-squares signal
/// and keeps its own magnitude; then frame m-L is committed and the samples no later frame touches are final.
/// All state is fixed-size: a sliding window of the overlap-add sums and a ring of the active frames.
/// </summary>
internal sealed class MelVqDecoder : ICodecDecoder
{
    private const double NormFloor = 1e-8;    // the reference's: below it a sample has no window and is 0
    private const double PhaseFloor = 1e-12;  // the reference's: a bin weaker than this gets phase 0

    private readonly MelVqCodec _codec;
    private readonly int _n, _hop, _bins, _lookahead, _slots, _half;
    private readonly RealFft64 _fft;
    private readonly double[] _window, _windowSquared;

    // Padded sample index i = n + N/2. _acc/_norm hold indices [_base, _base + capacity).
    private readonly double[] _acc, _norm;
    private readonly double[] _est;   // ring of the active frames' time-domain estimates, slot j % (L+1)
    private readonly double[] _amp;   // ring of their target magnitudes
    private readonly double[] _signal, _segment, _re, _im, _mel;
    private long _base;
    private long _frames;
    private long _emitted;
    private long _committedThrough = -1;   // frames up to here are in _acc; the later ones are active

    public MelVqDecoder(MelVqCodec codec)
    {
        _codec = codec;
        var c = codec.Config;
        _n = c.FftSize;
        _hop = c.Hop;
        _bins = c.Bins;
        _half = c.FftSize / 2;
        _lookahead = c.Lookahead;
        _slots = c.Lookahead + 1;
        _fft = new RealFft64(_n);
        _window = codec.Window;
        _windowSquared = _window.Select(v => v * v).ToArray();
        int capacity = _lookahead * _hop + _n;   // from frame m-L's start to frame m's end
        _acc = new double[capacity];
        _norm = new double[capacity];
        _signal = new double[capacity];
        _est = new double[_slots * _n];
        _amp = new double[_slots * _bins];
        _segment = new double[_n];
        _re = new double[_bins];
        _im = new double[_bins];
        _mel = new double[c.Mels];
    }

    /// <inheritdoc />
    public int MaxSamplesPerPush => _hop;

    /// <inheritdoc />
    public int MaxFinishSamples => _lookahead * _hop + _half;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Push(ReadOnlySpan<int> frame, Span<float> audio)
    {
        Fail.If(frame.Length != 1, EdgeErrorCode.InvalidArgument, $"a mel-vq frame is 1 code; got {frame.Length}.");
        int code = frame[0];
        Fail.If((uint)code >= (uint)_codec.Config.CodebookSize, EdgeErrorCode.InvalidArgument,
            $"code {code} is outside the codebook [0, {_codec.Config.CodebookSize}).");
        Fail.If(audio.Length < _hop, EdgeErrorCode.InvalidArgument, $"the audio span holds {audio.Length} samples; Push needs MaxSamplesPerPush = {_hop}.");

        long m = _frames;
        int slot = (int)(m % _slots);
        TargetMagnitude(code, _amp.AsSpan(slot * _bins, _bins));

        // The new frame's first phase comes from what the frames before it already make.
        long start = m * _hop;
        Signal(start, start + _n, _segment);
        _frames = m + 1;
        var norm = _norm.AsSpan((int)(start - _base), _n);
        TensorPrimitives.Add<double>(norm, _windowSquared, norm);
        PhaseOf(_segment, slot);

        long first = Math.Max(0, m - _lookahead);
        long lo = first * _hop, hi = start + _n;
        for (int it = 0; it < _codec.Config.Iterations; it++)
        {
            var x = _signal.AsSpan(0, (int)(hi - lo));
            Signal(lo, hi, x);
            // Jacobi: every active frame reads the same signal x, so updating est in place is safe.
            for (long j = first; j <= m; j++) PhaseOf(x.Slice((int)(j * _hop - lo), _n), (int)(j % _slots));
        }
        if (m - _lookahead < 0) return 0;
        Commit(m - _lookahead);
        long final = (m - _lookahead + 1) * _hop;   // padded index below which no later frame adds anything
        int written = Emit(final - _half, audio);
        Slide(final);
        return written;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Finish(Span<float> audio)
    {
        long total = _frames * _hop;
        Fail.If(audio.Length < total - _emitted, EdgeErrorCode.InvalidArgument,
            $"the audio span holds {audio.Length} samples; Finish needs MaxFinishSamples = {MaxFinishSamples}.");
        for (long j = Math.Max(0, _frames - _lookahead); j < _frames; j++) Commit(j);
        int written = Emit(total, audio);
        Reset();
        return written;
    }

    /// <inheritdoc />
    public void Reset()
    {
        Array.Clear(_acc);
        Array.Clear(_norm);
        Array.Clear(_est);
        Array.Clear(_amp);
        _base = 0;
        _frames = 0;
        _emitted = 0;
        _committedThrough = -1;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    // exp(codebook row) through the pseudo-inverse, clipped at 0.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void TargetMagnitude(int code, Span<double> amp)
    {
        int mels = _mel.Length;
        var row = _codec.Codebook.AsSpan(code * mels, mels);
        for (int b = 0; b < mels; b++) _mel[b] = Math.Exp(row[b]);
        var inv = _codec.Inverse;
        for (int k = 0; k < _bins; k++)
        {
            amp[k] = Math.Max(TensorPrimitives.Dot<double>(inv.AsSpan(k * mels, mels), _mel), 0.0);
        }
    }

    // The least-squares signal on padded indices [lo, hi): committed sums plus the active frames' windowed
    // estimates, over the sum of squared windows of the frames that have arrived.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Signal(long lo, long hi, Span<double> dst)
    {
        int len = (int)(hi - lo);
        _acc.AsSpan((int)(lo - _base), len).CopyTo(dst);
        for (long j = _committedThrough + 1; j < _frames; j++)
        {
            long f0 = j * _hop;
            long a = Math.Max(lo, f0), b = Math.Min(hi, f0 + _n);
            if (a >= b) continue;
            int from = (int)(a - f0), count = (int)(b - a);
            var target = dst.Slice((int)(a - lo), count);
            TensorPrimitives.MultiplyAdd<double>(_window.AsSpan(from, count), _est.AsSpan((int)(j % _slots) * _n + from, count), target, target);
        }
        var norm = _norm.AsSpan((int)(lo - _base), len);
        for (int i = 0; i < len; i++) dst[i] = norm[i] > NormFloor ? dst[i] / norm[i] : 0.0;
    }

    // The frame of magnitude amp (slot's) with the phase of the windowed segment; 0 phase where it has none.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PhaseOf(ReadOnlySpan<double> segment, int slot)
    {
        var frame = _est.AsSpan(slot * _n, _n);
        TensorPrimitives.Multiply<double>(_window, segment, frame);
        _fft.Direct(frame, _re, _im);
        var amp = _amp.AsSpan(slot * _bins, _bins);
        for (int k = 0; k < _bins; k++)
        {
            double a = Math.Sqrt(_re[k] * _re[k] + _im[k] * _im[k]);   // numpy uses hypot; the last-bit difference is within the rounding the golden test allows
            if (a > PhaseFloor)
            {
                _re[k] = amp[k] * (_re[k] / a);
                _im[k] = amp[k] * (_im[k] / a);
            }
            else
            {
                _re[k] = amp[k];
                _im[k] = 0.0;
            }
        }
        // A real inverse transform reads only the real part of DC and Nyquist (numpy's irfft drops the rest).
        _im[0] = 0.0;
        _im[_bins - 1] = 0.0;
        _fft.InverseNorm(_re, _im, frame);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Commit(long j)
    {
        var est = _est.AsSpan((int)(j % _slots) * _n, _n);
        var acc = _acc.AsSpan((int)(j * _hop - _base), _n);
        TensorPrimitives.MultiplyAdd<double>(_window, est, acc, acc);
        _committedThrough = j;
    }

    // Writes output samples [_emitted, end) (sample n is padded index n + N/2).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Emit(long end, Span<float> audio)
    {
        int count = (int)Math.Max(0, end - _emitted);
        for (int s = 0; s < count; s++)
        {
            long i = _emitted + s + _half - _base;
            audio[s] = _norm[i] > NormFloor ? (float)(_acc[i] / _norm[i]) : 0f;
        }
        _emitted += count;
        return count;
    }

    // Drops padded indices below newBase: they are emitted (or are the left padding) and no frame touches them again.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Slide(long newBase)
    {
        int shift = (int)(newBase - _base);
        if (shift <= 0) return;
        int keep = _acc.Length - shift;
        Array.Copy(_acc, shift, _acc, 0, keep);
        Array.Clear(_acc, keep, shift);
        Array.Copy(_norm, shift, _norm, 0, keep);
        Array.Clear(_norm, keep, shift);
        _base = newBase;
    }
}
