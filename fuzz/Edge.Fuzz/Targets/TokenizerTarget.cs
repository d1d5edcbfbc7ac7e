using Edge.Families.Gla;

namespace Edge.Fuzz.Targets;

/// <summary>A gla-tts package's <c>tokenizer.json</c>, loaded and used on a sentence.</summary>
public sealed class TokenizerTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "tokenizer";

    /// <inheritdoc />
    public override string Parses => "GlaTokenizer.Load, then Encode of a sentence";

    /// <inheritdoc />
    public override IEnumerable<FuzzSeed> Seeds(FuzzFixtures fixtures)
    {
        yield return new("tts-tiny", File.ReadAllBytes(fixtures.Repo("tests", "fixtures", "speech", "tts-tiny", "tokenizer.json")));
        yield return new("lina-reference", File.ReadAllBytes(fixtures.Repo("models", "lina-reference", "tokenizer.json")));
    }

    /// <inheritdoc />
    public override void Run(byte[] input, FuzzFixtures fixtures)
    {
        var tokenizer = GlaTokenizer.Load(input, "fuzz tokenizer.json");
        if (tokenizer.IndexOfUnknown("the weather is nice today.") < 0) tokenizer.Encode("the weather is nice today.");
    }
}
