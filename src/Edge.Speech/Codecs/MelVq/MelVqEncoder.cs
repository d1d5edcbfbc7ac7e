using NWaves.Transforms;

namespace Edge.Speech.Codecs.MelVq;

/// <summary>
/// Audio to mel-vq codes: centred STFT (periodic Hann, zero padding), magnitude, mel triangles, natural log with a
/// floor, nearest codebook row (squared Euclidean, lowest index on ties). Works frame by frame in fixed scratch, in
/// float64 like the reference, so it allocates nothing per call.
/// </summary>
internal sealed class MelVqEncoder : ICodecEncoder
{
    private readonly MelVqCodec _codec;
    private readonly RealFft64 _fft;
    private readonly double[] _frame, _re, _im, _mel, _rowNorms;

    public MelVqEncoder(MelVqCodec codec)
    {
        _codec = codec;
        var c = codec.Config;
        _fft = new RealFft64(c.FftSize);
        _frame = new double[c.FftSize];
        _re = new double[c.Bins];
        _im = new double[c.Bins];
        _mel = new double[c.Mels];
        _rowNorms = new double[c.CodebookSize];
        for (int k = 0; k < c.CodebookSize; k++)
        {
            var row = codec.Codebook.AsSpan(k * c.Mels, c.Mels);
            double s = 0;
            foreach (double v in row) s += v * v;
            _rowNorms[k] = s;
        }
    }

    /// <inheritdoc />
    public int FrameCount(int samples)
    {
        Fail.If(samples < 0, EdgeErrorCode.InvalidArgument, $"the clip's length {samples} must not be negative.");
        return samples / _codec.Config.Hop + 1;
    }

    /// <inheritdoc />
    public void Encode(ReadOnlySpan<float> audio, Span<int> codes)
    {
        int frames = FrameCount(audio.Length);
        Fail.If(codes.Length != frames, EdgeErrorCode.InvalidArgument,
            $"the codes span holds {codes.Length} values; a clip of {audio.Length} samples makes {frames} frames of 1 code (use FrameCount).");
        for (int t = 0; t < frames; t++)
        {
            LogMel(audio, t, _mel);
            codes[t] = Nearest(_mel, out _, out _);
        }
    }

    /// <summary>The log-mel features of frame <paramref name="t"/> (the reference's features()[t]).</summary>
    internal void LogMel(ReadOnlySpan<float> audio, int t, Span<double> mel)
    {
        var c = _codec.Config;
        var w = _codec.Window;
        int start = t * c.Hop - c.FftSize / 2;   // the clip sits after N/2 zeros and before N zeros
        for (int n = 0; n < c.FftSize; n++)
        {
            int i = start + n;
            _frame[n] = (uint)i < (uint)audio.Length ? audio[i] * w[n] : 0.0;
        }
        _fft.Direct(_frame, _re, _im);
        for (int k = 0; k < c.Bins; k++) _re[k] = double.Hypot(_re[k], _im[k]);
        var fb = _codec.Filterbank;
        for (int b = 0; b < c.Mels; b++)
        {
            var tri = fb.AsSpan(b * c.Bins, c.Bins);
            double s = 0;
            for (int k = 0; k < c.Bins; k++) s += _re[k] * tri[k];
            mel[b] = Math.Log(Math.Max(s, c.LogFloor));
        }
    }

    /// <summary>The nearest codebook row of a feature vector, with the two smallest squared distances.</summary>
    internal int Nearest(ReadOnlySpan<double> f, out double best, out double second)
    {
        var c = _codec.Config;
        double ff = 0;
        foreach (double v in f) ff += v * v;
        best = double.PositiveInfinity;
        second = double.PositiveInfinity;
        int arg = 0;
        for (int k = 0; k < c.CodebookSize; k++)
        {
            var row = _codec.Codebook.AsSpan(k * c.Mels, c.Mels);
            double dot = 0;
            for (int b = 0; b < c.Mels; b++) dot += f[b] * row[b];
            // The reference's expanded form |f|^2 - 2 f.c + |c|^2, so near-ties break the same way.
            double d = ff - 2 * dot + _rowNorms[k];
            if (d < best) { second = best; best = d; arg = k; }
            else if (d < second) second = d;
        }
        return arg;
    }
}
