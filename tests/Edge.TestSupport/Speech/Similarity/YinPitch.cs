namespace Edge.TestSupport.Speech.Similarity;

/// <summary>
/// The YIN fundamental-frequency estimator (de Cheveigné and Kawahara 2002): cumulative-mean-normalised difference
/// function over 40 ms frames every 10 ms, the first dip under the absolute threshold 0.15 or, when there is none,
/// the global minimum (the paper's step 4), parabolic interpolation. A frame is voiced when its dip's aperiodicity
/// (the normalised difference there) is under 0.5, and when it is not silence (RMS over 2 % of the clip's peak).
/// </summary>
public static class YinPitch
{
    /// <summary>Lowest and highest pitch searched, in Hz (adult speech).</summary>
    public const double MinHz = 60, MaxHz = 400;

    /// <summary>The pitch of each voiced frame of <paramref name="audio"/>, in Hz.</summary>
    public static List<double> VoicedFrames(ReadOnlySpan<float> audio, int sampleRate)
    {
        int window = (int)Math.Round(0.040 * sampleRate), hop = (int)Math.Round(0.010 * sampleRate);
        int minLag = (int)Math.Floor(sampleRate / MaxHz), maxLag = (int)Math.Ceiling(sampleRate / MinHz);
        int span = window - maxLag - 1;   // the difference at lag maxLag + 1 stays inside the frame
        var d = new double[maxLag + 2];
        var pitches = new List<double>();
        double loudest = 0;
        for (int i = 0; i < audio.Length; i++) loudest = Math.Max(loudest, Math.Abs(audio[i]));
        for (int start = 0; start + window <= audio.Length; start += hop)
        {
            double rms = 0;
            for (int n = 0; n < window; n++) rms += audio[start + n] * audio[start + n];
            if (Math.Sqrt(rms / window) < loudest * 0.02) continue;   // silence is not unvoiced speech; skip it outright
            double running = 0;
            d[0] = 1;
            for (int lag = 1; lag <= maxLag + 1; lag++)
            {
                double s = 0;
                for (int n = 0; n < span; n++)
                {
                    double diff = audio[start + n] - audio[start + n + lag];
                    s += diff * diff;
                }
                running += s;
                d[lag] = running > 0 ? s * lag / running : 1;
            }
            int found = -1;
            for (int lag = minLag; lag <= maxLag; lag++)
            {
                if (d[lag] < 0.15)
                {
                    while (lag + 1 <= maxLag && d[lag + 1] < d[lag]) lag++;
                    found = lag;
                    break;
                }
            }
            if (found < 0)
            {
                found = minLag;
                for (int lag = minLag + 1; lag <= maxLag; lag++)
                    if (d[lag] < d[found]) found = lag;
                if (d[found] >= 0.5) continue;   // aperiodic: noise or a consonant, not a pitch
            }
            double a = d[found - 1], b = d[found], c = d[found + 1];
            double denominator = a - 2 * b + c;
            double shift = denominator > 0 ? 0.5 * (a - c) / denominator : 0;
            pitches.Add(sampleRate / (found + Math.Clamp(shift, -1, 1)));
        }
        return pitches;
    }
}
