using Edge.Speech.Codecs;

namespace Edge.Fuzz.Targets;

/// <summary>A voice package's <c>codec/codec.json</c> beside the test package's codebook: loaded, a few frames decoded and encoded.</summary>
public sealed class CodecFolderTarget : FuzzTarget
{
    private const string Codec = "tests/fixtures/speech/tts-tiny/codec";

    /// <inheritdoc />
    public override string Name => "codec";

    /// <inheritdoc />
    public override string Parses => "SpeechCodecs.LoadFolder (codec.json fuzzed), then 4 frames decoded and encoded";

    /// <inheritdoc />
    public override IEnumerable<FuzzSeed> Seeds(FuzzFixtures fixtures)
    {
        yield return new("mel-vq", File.ReadAllBytes(fixtures.Repo(Codec, "codec.json")));
    }

    /// <inheritdoc />
    public override void Run(byte[] input, FuzzFixtures fixtures)
    {
        string folder = fixtures.Folder("codec", $"{Codec}/codec.safetensors");
        File.WriteAllBytes(Path.Combine(folder, "codec.json"), input);
        var codec = SpeechCodecs.LoadFolder(folder);
        using (var decoder = codec.CreateDecoder())
        {
            var frame = new int[codec.Quantizers];
            var audio = new float[Math.Max(decoder.MaxSamplesPerPush, decoder.MaxFinishSamples)];
            for (int i = 0; i < 4; i++) decoder.Push(frame, audio);
            decoder.Finish(audio);
        }
        var encoder = codec.CreateEncoder();
        if (encoder is null) return;
        var clip = new float[4 * codec.SamplesPerFrame];
        var codes = new int[encoder.FrameCount(clip.Length) * codec.Quantizers];
        encoder.Encode(clip, codes);
    }
}
