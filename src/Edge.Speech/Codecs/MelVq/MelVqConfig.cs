namespace Edge.Speech.Codecs.MelVq;

/// <summary>The numbers of a mel-vq codec.json, validated.</summary>
internal sealed record MelVqConfig(int SampleRate, int FftSize, int Hop, int Mels, double FMax, double LogFloor, int CodebookSize, int Lookahead, int Iterations)
{
    /// <summary>The one codec.json version this runtime reads.</summary>
    public const int Version = 1;

    /// <summary>The name of the tensor file in the folder.</summary>
    public const string TensorFile = "codec.safetensors";

    /// <summary>Frequency bins of one frame: n_fft / 2 + 1.</summary>
    public int Bins => FftSize / 2 + 1;

    /// <summary>Reads and range-checks every key; refuses unknown ones.</summary>
    public static MelVqConfig Read(CodecJson json)
    {
        int version = json.Int("version", 1, int.MaxValue);
        Fail.If(version != Version, EdgeErrorCode.InvalidPackage, $"{json.Where}: 'version' is {version}; this runtime reads mel-vq codec version {Version}.");
        int rate = json.Int("sample_rate", 4000, 192_000);
        int nFft = json.Int("n_fft", 16, 1 << 14);
        Fail.If((nFft & (nFft - 1)) != 0, EdgeErrorCode.InvalidPackage, $"{json.Where}: 'n_fft' is {nFft}; it must be a power of two.");
        int hop = json.Int("hop", 1, nFft / 2);   // at most half a window, so every sample is under two windows' overlap
        int mels = json.Int("n_mels", 1, nFft / 2 + 1);
        double fMax = json.Number("f_max", 1.0, rate / 2.0);
        double floor = json.Number("log_floor", 1e-30, 1.0);
        Fail.If(floor <= 0, EdgeErrorCode.InvalidPackage, $"{json.Where}: 'log_floor' must be above 0.");
        int k = json.Int("codebook_size", 1, 1 << 16);
        int lookahead = json.Int("lookahead", 0, 32);
        int iterations = json.Int("iterations", 0, 256);
        json.EnsureNoUnknownKeys();
        return new MelVqConfig(rate, nFft, hop, mels, fMax, floor, k, lookahead, iterations);
    }
}
