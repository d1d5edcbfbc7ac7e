using Edge.Audio.Wav;
using Edge.Formats.Npy;
using Edge.Speech.Codecs;
using Edge.TestSupport;

namespace Edge.Speech.Tests.Codecs;

/// <summary>The default voice's codec folder and the numpy reference's outputs on a committed clip (make_codec_golden.py).</summary>
internal static class MelVqGolden
{
    public static string CodecFolder => Path.Combine(RepoPaths.Models("tts-default"), "codec");

    public static ISpeechCodec Codec { get; } = SpeechCodecs.LoadFolder(CodecFolder);

    public static string File(string name) => RepoPaths.Fixtures("speech", "codec-golden", name);

    public static float[] Clip => WavReader.ReadMono(File("clip.wav")).Samples;

    public static int[] Codes => NpyFile.Read(File("codes.npy")).Data.Select(v => (int)v).ToArray();

    /// <summary>Every frame pushed, then Finish: the whole utterance as a streaming caller would get it.</summary>
    public static float[] Decode(ICodecDecoder decoder, ReadOnlySpan<int> codes, int quantizers = 1)
    {
        var output = new List<float>();
        var buffer = new float[Math.Max(decoder.MaxSamplesPerPush, decoder.MaxFinishSamples)];
        for (int t = 0; t < codes.Length / quantizers; t++)
        {
            int n = decoder.Push(codes.Slice(t * quantizers, quantizers), buffer);
            output.AddRange(buffer.AsSpan(0, n));
        }
        int f = decoder.Finish(buffer);
        output.AddRange(buffer.AsSpan(0, f));
        return output.ToArray();
    }
}
