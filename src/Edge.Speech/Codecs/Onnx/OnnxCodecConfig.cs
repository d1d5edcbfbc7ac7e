namespace Edge.Speech.Codecs.Onnx;

/// <summary>The numbers of an onnx codec.json, validated: the graph's interface and the streaming windows.</summary>
internal sealed record OnnxCodecConfig(string Graph, string Input, string? Output, int SampleRate, int Hop, int Quantizers, int CodebookSize,
    int Block, int LeftContext, int Lookahead, int Crossfade)
{
    /// <summary>The one codec.json version this runtime reads.</summary>
    public const int Version = 1;

    /// <summary>Frames in one full decoding window: left context, the block made final, look-ahead.</summary>
    public int WindowFrames => LeftContext + Block + Lookahead;

    public static OnnxCodecConfig Read(CodecJson json)
    {
        int version = json.Int("version", 1, int.MaxValue);
        Fail.If(version != Version, EdgeErrorCode.InvalidPackage, $"{json.Where}: 'version' is {version}; this runtime reads onnx codec version {Version}.");
        string graph = json.FileName("graph", "decoder.onnx");
        string input = json.String("input", "codes");
        string? output = json.Has("output") ? json.String("output") : null;
        int rate = json.Int("sample_rate", 4000, 192_000);
        int hop = json.Int("hop", 1, 1 << 16);
        int nq = json.Int("n_quant", 1, 64);
        int k = json.Int("codebook_size", 1, 1 << 24);
        int block = json.Int("block", 1, 1024);
        int context = json.Int("left_context", 0, 4096);
        int lookahead = json.Int("lookahead", 0, 4096);
        int crossfade = json.Int("crossfade", 0, 0, int.MaxValue);
        Fail.If(crossfade > (long)lookahead * hop, EdgeErrorCode.InvalidPackage,
            $"{json.Where}: 'crossfade' is {crossfade} samples but the look-ahead covers only {lookahead} x {hop}; the fade overlaps look-ahead audio, so make it at most {(long)lookahead * hop}.");
        Fail.If((long)(context + block + lookahead) * hop * nq > 1 << 28, EdgeErrorCode.InvalidPackage,
            $"{json.Where}: a window of {context + block + lookahead} frames of {hop} samples is too large; use smaller block, left_context or lookahead.");
        json.EnsureNoUnknownKeys();
        return new OnnxCodecConfig(graph, input, output, rate, hop, nq, k, block, context, lookahead, crossfade);
    }
}
