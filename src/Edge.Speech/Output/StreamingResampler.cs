using NAudio.Dsp;

namespace Edge.Speech.Output;

/// <summary>
/// Changes the sample rate of a mono stream chunk by chunk with NAudio's managed WDL resampler (sinc
/// interpolation, input-driven). <see cref="Flush"/> gives the tail it held back, so a clip of N samples comes
/// out as round(N · to / from) samples.
/// </summary>
public sealed class StreamingResampler
{
    private readonly WdlResampler _wdl = new();
    private float[] _out = new float[4096];
    private long _in, _written;

    /// <summary>A resampler from <paramref name="fromRate"/> to <paramref name="toRate"/> samples per second.</summary>
    public StreamingResampler(int fromRate, int toRate)
    {
        Fail.If(fromRate < 1000 || toRate < 1000 || fromRate > 384_000 || toRate > 384_000, EdgeErrorCode.InvalidArgument,
            $"resample: rates {fromRate} → {toRate} Hz; each must be between 1000 and 384000.");
        FromRate = fromRate;
        ToRate = toRate;
        _wdl.SetMode(true, 2, false);
        _wdl.SetFilterParms();
        _wdl.SetFeedMode(true);
        _wdl.SetRates(fromRate, toRate);
    }

    /// <summary>The input rate.</summary>
    public int FromRate { get; }

    /// <summary>The output rate.</summary>
    public int ToRate { get; }

    /// <summary>Resamples <paramref name="input"/> and returns the output made so far (valid until the next call).</summary>
    public ReadOnlySpan<float> Process(ReadOnlySpan<float> input)
    {
        _in += input.Length;
        int produced = 0;
        while (!input.IsEmpty)
        {
            int want = _wdl.ResamplePrepare(input.Length, 1, out Span<float> inBuffer);
            int n = Math.Min(want, input.Length);
            input[..n].CopyTo(inBuffer);
            input = input[n..];
            produced += Out(produced, n);
        }
        return Trim(produced);
    }

    /// <summary>Ends the stream: returns the held-back tail, padded or cut so the whole output is round(N · to / from) samples.</summary>
    public ReadOnlySpan<float> Flush()
    {
        int produced = 0;
        for (int i = 0; i < 4; i++)
        {
            // Feeding silence pushes the filter's delay line out; the total is then cut to length.
            int want = _wdl.ResamplePrepare(1024, 1, out Span<float> inBuffer);
            inBuffer[..Math.Min(want, 1024)].Clear();
            produced += Out(produced, Math.Min(want, 1024));
        }
        long target = (long)Math.Round((double)_in * ToRate / FromRate);
        long missing = target - _written;
        if (missing > produced)
        {
            Grow(produced + (int)missing);
            _out.AsSpan(produced, (int)missing - produced).Clear();
            produced = (int)missing;
        }
        return Trim(produced);
    }

    private int Out(int at, int inputSamples)
    {
        int room = (int)((long)inputSamples * ToRate / FromRate) + 64;
        Grow(at + room);
        return _wdl.ResampleOut(_out.AsSpan(at, room), inputSamples, room, 1);
    }

    private void Grow(int size)
    {
        if (_out.Length < size) Array.Resize(ref _out, Math.Max(size, _out.Length * 2));
    }

    // Never more than round(N · to / from) in total.
    private ReadOnlySpan<float> Trim(int produced)
    {
        long target = (long)Math.Round((double)_in * ToRate / FromRate);
        int n = (int)Math.Clamp(target - _written, 0, produced);
        _written += n;
        return _out.AsSpan(0, n);
    }
}
