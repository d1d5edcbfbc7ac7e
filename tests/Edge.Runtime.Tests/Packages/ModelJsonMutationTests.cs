using System.Text;
using Edge.Packages;
using Edge.Streams;
using Edge.Runtime.Tests.GruAttention;

namespace Edge.Runtime.Tests.Packages;

/// <summary>model.json values of the wrong kind are clean <see cref="EdgeException"/>s, never a FormatException from the JSON reader.</summary>
public class ModelJsonMutationTests
{
    private static readonly GruAttentionSpec Spec = GruAttentionSpec.Random(5, 2, 4, 1, 3, 1, 0, false);

    [Theory]
    [InlineData("1.0")]
    [InlineData("1e400")]
    [InlineData("99999999999999999999")]
    [InlineData("\"1\"")]
    public void Model_json_version_1_0_is_InvalidPackage(string version)
    {
        using var pkg = Spec.Write();
        string json = File.ReadAllText(pkg.File("model.json"));
        File.WriteAllText(pkg.File("model.json"), json.Replace("\"version\": 1,", $"\"version\": {version},"));
        var e = Assert.Throws<EdgeException>(() => ModelPackage.Open(pkg.Folder));
        Assert.Equal(EdgeErrorCode.InvalidPackage, e.Code);
        Assert.Contains("'version' must be 1", e.Message);
    }

    [Fact]
    public void Invalid_utf8_in_model_json_is_InvalidPackage()
    {
        using var pkg = new TestPackage("gru-attention", Spec.Config(), Spec.Entries(), doc => doc["description"] = "caf__");
        var bytes = File.ReadAllBytes(pkg.File("model.json"));
        int at = IndexOf(bytes, "caf__"u8.ToArray()) + 3;
        bytes[at] = 0xC3;       // C3 28: a lead byte without its continuation
        bytes[at + 1] = 0x28;
        File.WriteAllBytes(pkg.File("model.json"), bytes);
        var e = Assert.Throws<EdgeException>(() => ModelPackage.Open(pkg.Folder));
        Assert.Equal(EdgeErrorCode.InvalidPackage, e.Code);
        Assert.Contains("not valid UTF-8", e.Message);
    }

    [Fact]
    public void Unknown_key_made_of_control_characters_is_echoed_escaped_on_one_line()
    {
        using var pkg = new TestPackage("gru-attention", Spec.Config(), Spec.Entries(), doc => doc["\u001b[2J\nrm -rf " + new string('x', 5000)] = 1);
        var e = Assert.Throws<EdgeException>(() => EdgeModel.Load(pkg.Folder));
        Assert.Equal(EdgeErrorCode.InvalidPackage, e.Code);
        Assert.Contains("unknown key '\\x1B[2J\\nrm -rf xxx", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain('\u001b', e.Message);
        Assert.True(e.Message.Length < 500, $"{e.Message.Length} characters");
    }

    private static int IndexOf(byte[] haystack, byte[] needle) =>
        Enumerable.Range(0, haystack.Length - needle.Length + 1).First(i => haystack.AsSpan(i, needle.Length).SequenceEqual(needle));
}
