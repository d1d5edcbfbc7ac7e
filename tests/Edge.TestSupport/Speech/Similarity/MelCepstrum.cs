using NWaves.Transforms;

namespace Edge.TestSupport.Speech.Similarity;

/// <summary>
/// Mel-frequency cepstral coefficients as speech recognisers have computed them since Davis and Mermelstein (1980):
/// 25 ms Hamming frames every 10 ms, pre-emphasis 0.97, 40 triangular HTK mel bands over 0–Nyquist, log power,
/// orthonormal DCT-II of the log amplitude. c0 (loudness) is returned apart, so a distance over c1..c13 ignores how loud a clip is.
/// </summary>
public static class MelCepstrum
{
    /// <summary>Cepstral coefficients kept per frame (c1..c13).</summary>
    public const int Coefficients = 13;

    private const int Bands = 40;

    /// <summary>
    /// The frames of <paramref name="audio"/> that carry speech (log energy within 35 dB of the clip's loudest
    /// frame), each as c1..c13; silences and pauses are dropped so they do not dominate a comparison.
    /// </summary>
    public static double[][] SpeechFrames(ReadOnlySpan<float> audio, int sampleRate)
    {
        int window = (int)Math.Round(0.025 * sampleRate), hop = (int)Math.Round(0.010 * sampleRate);
        int fftSize = 1;
        while (fftSize < window) fftSize *= 2;
        int bins = fftSize / 2 + 1;
        var filters = Filterbank(sampleRate, fftSize);
        var fft = new RealFft64(fftSize);
        var frame = new double[fftSize];
        var re = new double[bins];
        var im = new double[bins];
        var logMel = new double[Bands];
        var all = new List<(double Energy, double[] Cepstrum)>();
        for (int start = 0; start + window <= audio.Length; start += hop)
        {
            Array.Clear(frame);
            double energy = 0;
            for (int n = 0; n < window; n++)
            {
                double previous = start + n > 0 ? audio[start + n - 1] : 0.0;
                double x = (audio[start + n] - 0.97 * previous) * (0.54 - 0.46 * Math.Cos(2 * Math.PI * n / (window - 1)));
                frame[n] = x;
                energy += x * x;
            }
            fft.Direct(frame, re, im);
            for (int b = 0; b < Bands; b++)
            {
                double s = 0;
                for (int k = 0; k < bins; k++) s += filters[b, k] * (re[k] * re[k] + im[k] * im[k]);
                logMel[b] = 0.5 * Math.Log(Math.Max(s, 1e-20));   // log amplitude, in nepers, as MCD is defined
            }
            var c = new double[Coefficients];
            for (int i = 1; i <= Coefficients; i++)
            {
                double s = 0;
                for (int b = 0; b < Bands; b++) s += logMel[b] * Math.Cos(Math.PI * i * (b + 0.5) / Bands);
                c[i - 1] = s * Math.Sqrt(2.0 / Bands);
            }
            all.Add((10 * Math.Log10(Math.Max(energy, 1e-12)), c));
        }
        if (all.Count == 0) return [];
        double loudest = all.Max(f => f.Energy);
        return all.Where(f => f.Energy >= loudest - 35).Select(f => f.Cepstrum).ToArray();
    }

    private static double[,] Filterbank(int sampleRate, int fftSize)
    {
        static double Mel(double hz) => 2595 * Math.Log10(1 + hz / 700);
        static double Hz(double mel) => 700 * (Math.Pow(10, mel / 2595) - 1);
        int bins = fftSize / 2 + 1;
        var edges = new double[Bands + 2];
        double top = Mel(sampleRate / 2.0);
        for (int i = 0; i < edges.Length; i++) edges[i] = Hz(top * i / (Bands + 1));
        var f = new double[Bands, bins];
        for (int b = 0; b < Bands; b++)
            for (int k = 0; k < bins; k++)
            {
                double hz = k * (double)sampleRate / fftSize;
                double up = (hz - edges[b]) / (edges[b + 1] - edges[b]), down = (edges[b + 2] - hz) / (edges[b + 2] - edges[b + 1]);
                f[b, k] = Math.Max(0, Math.Min(up, down));
            }
        return f;
    }
}
