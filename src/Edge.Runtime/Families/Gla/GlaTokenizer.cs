using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Edge.Families.Gla;

/// <summary>
/// The text tokenizer of a gla-tts package: a Hugging Face <c>tokenizer.json</c> (BPE) run by
/// Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/>, fed its vocabulary, merges, Lowercase normalizer
/// and special tokens. The pre-tokenizer Lina-Speech uses (<c>Punctuation(Isolated)</c> then
/// <c>Split(" ", Isolated)</c>) becomes one regex: each punctuation mark and each space is its own piece.
/// </summary>
public sealed partial class GlaTokenizer
{
    /// <summary>Id of <c>[BOS]</c>, put before every text.</summary>
    public const int Bos = 1;

    /// <summary>Id of <c>[EOS]</c>, put after every text.</summary>
    public const int Eos = 2;

    private readonly BpeTokenizer _bpe;
    private readonly HashSet<char> _alphabet;
    private readonly bool _lowercase;
    private readonly string _where;
    private readonly KeyValuePair<string, int>[] _specials;

    private GlaTokenizer(BpeTokenizer bpe, HashSet<char> alphabet, bool lowercase, int vocabularySize, string where, Dictionary<string, int> specials)
    {
        _specials = [.. specials.Where(p => p.Key.Length > 0)];
        _bpe = bpe;
        _alphabet = alphabet;
        _lowercase = lowercase;
        VocabularySize = vocabularySize;
        _where = where;
    }

    /// <summary>Largest id plus one.</summary>
    public int VocabularySize { get; }

    /// <summary>Reads a tokenizer.json; <paramref name="where"/> names it in messages.</summary>
    public static GlaTokenizer Load(byte[] json, string where)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new EdgeException(EdgeErrorCode.InvalidPackage, $"{where}: not valid JSON ({e.Message}).");
        }
        using (doc)
        {
            var root = doc.RootElement;
            Fail.If(!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object
                || !model.TryGetProperty("type", out var type) || type.GetString() != "BPE",
                EdgeErrorCode.InvalidPackage, $"{where}: model.type must be \"BPE\" (a Hugging Face BPE tokenizer.json).");

            var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
            Fail.If(!model.TryGetProperty("vocab", out var v) || v.ValueKind != JsonValueKind.Object, EdgeErrorCode.InvalidPackage, $"{where}: model.vocab is missing.");
            foreach (var p in v.EnumerateObject())
            {
                int id = p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt32(out int i) ? i : -1;
                Fail.If(id < 0, EdgeErrorCode.InvalidPackage, $"{where}: vocab entry '{p.Name}' must map to a non-negative integer id.");
                vocab[p.Name] = id;
            }
            var merges = new List<string>();
            if (model.TryGetProperty("merges", out var m) && m.ValueKind == JsonValueKind.Array)
            {
                foreach (var e in m.EnumerateArray())
                {
                    // Older files write "a b", newer ones ["a", "b"].
                    merges.Add(e.ValueKind == JsonValueKind.Array ? string.Join(' ', e.EnumerateArray().Select(x => x.GetString())) : e.GetString() ?? "");
                }
            }
            var specials = new Dictionary<string, int>(StringComparer.Ordinal);
            if (root.TryGetProperty("added_tokens", out var added) && added.ValueKind == JsonValueKind.Array)
            {
                foreach (var a in added.EnumerateArray())
                    specials[a.GetProperty("content").GetString()!] = a.GetProperty("id").GetInt32();
            }
            Fail.If(!specials.TryGetValue("[BOS]", out int bos) || bos != Bos || !specials.TryGetValue("[EOS]", out int eos) || eos != Eos,
                EdgeErrorCode.InvalidPackage, $"{where}: added tokens must include [BOS] = {Bos} and [EOS] = {Eos}.");

            bool lowercase = ReadNormalizer(root, where);
            CheckPreTokenizer(root, where);

            var options = new BpeOptions(vocab)
            {
                Merges = merges,
                SpecialTokens = specials,
                Normalizer = lowercase ? LowerCaseNormalizer.Instance : null,
                PreTokenizer = new RegexPreTokenizer(PiecePattern(), specials),
            };
            BpeTokenizer bpe;
            try
            {
                bpe = BpeTokenizer.Create(options);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
            {
                throw new EdgeException(EdgeErrorCode.InvalidPackage, $"{where}: the BPE vocabulary or merges are inconsistent ({e.Message}).");
            }
            var alphabet = vocab.Keys.Where(k => k.Length == 1).Select(k => k[0]).ToHashSet();
            int size = Math.Max(vocab.Values.DefaultIfEmpty(-1).Max(), specials.Values.DefaultIfEmpty(-1).Max()) + 1;
            return new GlaTokenizer(bpe, alphabet, lowercase, size, where, specials);
        }
    }

    /// <summary>
    /// Tokenizes <c>"[BOS]" + text + "[EOS]"</c>. A character the vocabulary cannot spell is an
    /// <see cref="EdgeException"/> naming it: normalise the text first (spell out digits, drop accents).
    /// </summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string normalized = _lowercase ? text.ToLowerInvariant() : text;
        foreach (var (content, _) in _specials) normalized = normalized.Replace(_lowercase ? content.ToLowerInvariant() : content, new string(' ', content.Length));
        for (int i = 0; i < normalized.Length; i++)
        {
            char ch = normalized[i];
            if (!_alphabet.Contains(ch))
            {
                string shown = char.IsControl(ch) || char.IsWhiteSpace(ch) ? $"U+{(int)ch:X4}" : $"'{ch}' (U+{(int)ch:X4})";
                throw new EdgeException(EdgeErrorCode.InvalidInput,
                    $"text: character {shown} at position {i} is not in the tokenizer's vocabulary ({_where}). Rewrite it with the characters the model knows (e.g. spell out digits, replace accented letters and line breaks).");
            }
        }
        var ids = new List<int>(text.Length + 2) { Bos };
        AppendSegments(text, ids);
        ids.Add(Eos);
        return [.. ids];
    }

    // Added tokens are matched in the raw text before normalization (Hugging Face, normalized = false),
    // so the text between them is normalized and split on its own.
    private void AppendSegments(string text, List<int> ids)
    {
        int start = 0;
        while (start < text.Length)
        {
            int at = -1, id = 0, length = 0;
            foreach (var (content, specialId) in _specials)
            {
                int i = text.IndexOf(content, start, StringComparison.Ordinal);
                if (i >= 0 && (at < 0 || i < at)) (at, id, length) = (i, specialId, content.Length);
            }
            int end = at < 0 ? text.Length : at;
            if (end > start) ids.AddRange(_bpe.EncodeToIds(text.AsSpan(start, end - start)));
            if (at < 0) break;
            ids.Add(id);
            start = at + length;
        }
    }

    private static bool ReadNormalizer(JsonElement root, string where)
    {
        if (!root.TryGetProperty("normalizer", out var n) || n.ValueKind == JsonValueKind.Null) return false;
        string? type = n.TryGetProperty("type", out var t) ? t.GetString() : null;
        return type == "Lowercase"
            ? true
            : Fail.With<bool>(EdgeErrorCode.InvalidPackage, $"{where}: normalizer '{type}' is not supported; gla-tts tokenizers use Lowercase or none.");
    }

    private static void CheckPreTokenizer(JsonElement root, string where)
    {
        const string expected = "Sequence[Punctuation(Isolated), Split(\" \", Isolated)]";
        Fail.If(!root.TryGetProperty("pre_tokenizer", out var p) || p.ValueKind != JsonValueKind.Object, EdgeErrorCode.InvalidPackage,
            $"{where}: pre_tokenizer is missing; gla-tts tokenizers use {expected}.");
        bool ok = p.TryGetProperty("type", out var t) && t.GetString() == "Sequence" && p.TryGetProperty("pretokenizers", out var list)
            && list.GetArrayLength() == 2
            && list[0].GetProperty("type").GetString() == "Punctuation" && Behavior(list[0]) == "Isolated"
            && list[1].GetProperty("type").GetString() == "Split" && Behavior(list[1]) == "Isolated"
            && list[1].TryGetProperty("pattern", out var pat) && pat.TryGetProperty("String", out var s) && s.GetString() == " "
            && !(list[1].TryGetProperty("invert", out var inv) && inv.ValueKind == JsonValueKind.True);
        Fail.If(!ok, EdgeErrorCode.InvalidPackage, $"{where}: pre_tokenizer must be {expected}, as Lina-Speech's; other pre-tokenizers are not supported.");
    }

    private static string? Behavior(JsonElement e) => e.TryGetProperty("behavior", out var b) ? b.GetString() : null;

    // Hugging Face's Punctuation splits on Unicode punctuation (P*) plus the ASCII symbols it counts as
    // punctuation; each mark and each space is a piece, and the runs between them are pieces.
    [GeneratedRegex(@"[\p{P}$+<=>^`|~]| |[^\p{P}$+<=>^`|~ ]+")]
    private static partial Regex PiecePattern();
}
