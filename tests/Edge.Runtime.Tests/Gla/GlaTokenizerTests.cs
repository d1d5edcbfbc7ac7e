using Edge.Families.Gla;
using Edge.Formats.Npy;

namespace Edge.Runtime.Tests.Gla;

public class GlaTokenizerTests
{
    private static GlaTokenizer Load(string folder) =>
        GlaTokenizer.Load(File.ReadAllBytes(Path.Combine(folder, "tokenizer.json")), "tokenizer.json");

    public static IEnumerable<object[]> Goldens() =>
    [
        [RepoPaths.Models("lina-reference"), "golden"],
        [RepoPaths.Models("lina-reference"), "golden-voice"],
        [RepoPaths.Fixtures("gla", "h1-noconv-sin"), "golden"],
        [RepoPaths.Fixtures("gla", "h4-conv"), "golden-voice"],
        [RepoPaths.Fixtures("gla", "h2-odd-rotary"), "golden"],
    ];

    [Theory]
    [MemberData(nameof(Goldens))]
    public void Encodes_golden_texts_to_the_reference_ids(string package, string golden)
    {
        var tok = Load(package);
        string text = File.ReadAllText(Path.Combine(package, golden, "text.txt")).TrimEnd('\n');
        var expected = NpyFile.Read(Path.Combine(package, golden, "text_ids.npy")).Data.Select(x => (int)x).ToArray();
        Assert.Equal(expected, tok.Encode(text));
    }

    [Fact]
    public void Case_is_folded_spaces_and_punctuation_are_their_own_tokens()
    {
        var tok = Load(RepoPaths.Models("lina-reference"));
        var upper = tok.Encode("Hello, World!");
        Assert.Equal(tok.Encode("hello, world!"), upper);
        Assert.Equal(GlaTokenizer.Bos, upper[0]);
        Assert.Equal(GlaTokenizer.Eos, upper[^1]);
        Assert.Equal(1, upper.Count(id => id == 3));           // the one space, between "," and "world"
        Assert.Equal(tok.Encode("a").Length + 1, tok.Encode("a!").Length);
    }

    [Theory]
    [InlineData("café", "é")]
    [InlineData("line\nbreak", "U+000A")]
    public void A_character_outside_the_vocabulary_is_a_clear_error(string text, string named)
    {
        var tok = Load(RepoPaths.Models("lina-reference"));
        var e = Assert.Throws<EdgeException>(() => tok.Encode(text));
        Assert.Equal(EdgeErrorCode.InvalidInput, e.Code);
        Assert.Contains(named, e.Message);
    }
}
