using Edge.Streams;

namespace Edge.Fuzz.Targets;

/// <summary>A voice file loaded into a stream of the small gla-tts test package.</summary>
public sealed class VoiceFileTarget : FuzzTarget
{
    private const string ModelPath = "tests/fixtures/speech/tts-tiny";

    /// <inheritdoc />
    public override string Name => "voice";

    /// <inheritdoc />
    public override string Parses => "IVoiceConditioning.LoadVoice (tests/fixtures/speech/tts-tiny)";

    /// <inheritdoc />
    public override IEnumerable<FuzzSeed> Seeds(FuzzFixtures fixtures)
    {
        // The package's own voice (the rank-r form train.py writes) and a full-rank one Edge saves.
        yield return new("package-voice", File.ReadAllBytes(fixtures.Repo(ModelPath, "voices", "default.safetensors")));
        var voice = Voice(fixtures);
        voice.ClearVoice();
        string path = Path.Combine(fixtures.Scratch, "seed-voice.safetensors");
        voice.SaveVoice(path);
        yield return new("saved-voice", File.ReadAllBytes(path));
    }

    /// <inheritdoc />
    public override void Run(byte[] input, FuzzFixtures fixtures) => Voice(fixtures).LoadVoice(fixtures.WriteFile("fuzz-voice.safetensors", input));

    private static IVoiceConditioning Voice(FuzzFixtures fixtures) =>
        fixtures.Stream(ModelPath).GetFeature<IVoiceConditioning>() ?? throw new InvalidOperationException("the tts-tiny stream has no voice feature.");
}
