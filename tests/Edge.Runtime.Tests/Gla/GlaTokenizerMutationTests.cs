using System.Text;
using System.Text.Json.Nodes;
using Edge.Families.Gla;

namespace Edge.Runtime.Tests.Gla;

/// <summary>tokenizer.json mutations from a mutation run of the CLI: each is a clean InvalidPackage error naming the file.</summary>
public class GlaTokenizerMutationTests
{
    private static JsonObject Reference() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Models("lina-reference"), "tokenizer.json")))!.AsObject();

    private static EdgeException Refused(byte[] json)
    {
        var e = Assert.Throws<EdgeException>(() => GlaTokenizer.Load(json, "pkg/tokenizer.json"));
        Assert.Equal(EdgeErrorCode.InvalidPackage, e.Code);
        Assert.Contains("pkg/tokenizer.json", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    private static EdgeException Refused(Action<JsonObject> edit)
    {
        var doc = Reference();
        edit(doc);
        return Refused(Encoding.UTF8.GetBytes(doc.ToJsonString()));
    }

    [Fact]
    public void The_reference_tokenizer_still_loads()
    {
        var tok = GlaTokenizer.Load(Encoding.UTF8.GetBytes(Reference().ToJsonString()), "pkg/tokenizer.json");
        Assert.Equal(256, tok.VocabularySize);
    }

    [Fact]
    public void Tokenizer_added_token_with_empty_content_is_InvalidPackage()
    {
        var e = Refused(doc => doc["added_tokens"]!.AsArray().Add(new JsonObject { ["id"] = 7, ["content"] = "" }));
        Assert.Contains("non-empty \"content\"", e.Message);
    }

    [Theory]
    [InlineData("99999999999")]
    [InlineData("16777216")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("\"3\"")]
    public void Tokenizer_huge_token_id_is_InvalidPackage(string id)
    {
        var e = Refused(doc => doc["added_tokens"]!.AsArray().Add(new JsonObject { ["id"] = JsonNode.Parse(id), ["content"] = "[X]" }));
        Assert.Contains($"from 0 to {GlaTokenizer.MaxTokenId}", e.Message);
    }

    [Fact]
    public void Tokenizer_huge_vocab_id_is_InvalidPackage()
    {
        var e = Refused(doc => doc["model"]!["vocab"]!["zz"] = JsonNode.Parse("99999999999"));
        Assert.Contains("vocab entry 'zz'", e.Message);
    }

    [Theory]
    [InlineData("\"Lowercase\"")]
    [InlineData("[\"Lowercase\"]")]
    [InlineData("{\"type\": 5}")]
    [InlineData("7")]
    public void Tokenizer_normalizer_of_the_wrong_json_type_is_InvalidPackage(string normalizer)
    {
        var e = Refused(doc => doc["normalizer"] = JsonNode.Parse(normalizer));
        Assert.Contains("normalizer", e.Message);
    }

    [Theory]
    [InlineData("model", "[]")]
    [InlineData("pre_tokenizer", "{\"type\": \"Sequence\", \"pretokenizers\": 3}")]
    [InlineData("pre_tokenizer", "{\"type\": \"Sequence\", \"pretokenizers\": [1, 2]}")]
    [InlineData("added_tokens", "[5]")]
    public void Tokenizer_parts_of_the_wrong_json_type_are_InvalidPackage(string key, string value)
    {
        Refused(doc => doc[key] = JsonNode.Parse(value));
    }

    [Fact]
    public void Tokenizer_merge_of_the_wrong_json_type_is_InvalidPackage()
    {
        var e = Refused(doc => doc["model"]!["merges"] = new JsonArray(JsonValue.Create(12)));
        Assert.Contains("merge 0", e.Message);
    }

    [Fact]
    public void Invalid_utf8_in_tokenizer_json_is_InvalidPackage()
    {
        var bytes = Encoding.UTF8.GetBytes(Reference().ToJsonString());
        int at = Encoding.UTF8.GetString(bytes).IndexOf("[BOS]", StringComparison.Ordinal);
        bytes[at + 1] = 0xFF;
        var e = Refused(bytes);
        Assert.Contains("not valid UTF-8", e.Message);
    }
}
