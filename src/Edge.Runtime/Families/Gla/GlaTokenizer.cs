using System.Text.Json;
using System.Text.RegularExpressions;
using Edge.Formats;
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

    /// <summary>The largest token id a tokenizer.json may use; real vocabularies have at most a few hundred thousand.</summary>
    public const int MaxTokenId = (1 << 24) - 1;

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
        using (var doc = UntrustedJson.Parse(json, default, EdgeErrorCode.InvalidPackage, where))
        {
            var root = doc.RootElement;
            Fail.If(root.ValueKind != JsonValueKind.Object, EdgeErrorCode.InvalidPackage, $"{where}: must be a JSON object (a Hugging Face tokenizer.json).");
            Fail.If(!root.TryGetProperty("model", out var model) || Text(model, "type") != "BPE",
                EdgeErrorCode.InvalidPackage, $"{where}: model.type must be \"BPE\" (a Hugging Face BPE tokenizer.json).");

            var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
            Fail.If(!model.TryGetProperty("vocab", out var v) || v.ValueKind != JsonValueKind.Object, EdgeErrorCode.InvalidPackage, $"{where}: model.vocab is missing.");
            foreach (var p in v.EnumerateObject())
            {
                int id = TokenId(p.Value);
                Fail.If(id < 0, EdgeErrorCode.InvalidPackage, $"{where}: vocab entry '{MessageText.Value(p.Name)}' must map to an integer id from 0 to {MaxTokenId}.");
                vocab[p.Name] = id;
            }
            var merges = new List<string>();
            if (model.TryGetProperty("merges", out var m) && m.ValueKind == JsonValueKind.Array)
            {
                foreach (var e in m.EnumerateArray())
                {
                    // Older files write "a b", newer ones ["a", "b"].
                    bool ok = e.ValueKind == JsonValueKind.String
                        || (e.ValueKind == JsonValueKind.Array && e.EnumerateArray().All(x => x.ValueKind == JsonValueKind.String));
                    Fail.If(!ok, EdgeErrorCode.InvalidPackage, $"{where}: merge {merges.Count} must be \"a b\" or [\"a\", \"b\"], found {MessageText.Value(e.GetRawText())}.");
                    merges.Add(e.ValueKind == JsonValueKind.Array ? string.Join(' ', e.EnumerateArray().Select(x => x.GetString())) : e.GetString()!);
                }
            }
            var specials = new Dictionary<string, int>(StringComparer.Ordinal);
            if (root.TryGetProperty("added_tokens", out var added) && added.ValueKind == JsonValueKind.Array)
            {
                foreach (var a in added.EnumerateArray())
                {
                    // An empty token would match at every position of every text.
                    string? content = Text(a, "content");
                    int id = a.ValueKind == JsonValueKind.Object && a.TryGetProperty("id", out var idValue) ? TokenId(idValue) : -1;
                    Fail.If(string.IsNullOrEmpty(content) || id < 0, EdgeErrorCode.InvalidPackage,
                        $"{where}: added token {MessageText.Value(a.GetRawText())} needs a non-empty \"content\" string and an integer \"id\" from 0 to {MaxTokenId}.");
                    specials[content] = id;
                }
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

    /// <summary>
    /// The index of the first character of <paramref name="text"/> the vocabulary cannot spell (after the
    /// tokenizer's lower-casing), or −1 when every one is in its alphabet (a special token such as <c>[BOS]</c> counts as its characters).
    /// </summary>
    public int IndexOfUnknown(ReadOnlySpan<char> text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char ch = _lowercase ? char.ToLowerInvariant(text[i]) : text[i];
            if (!_alphabet.Contains(ch)) return i;
        }
        return -1;
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
        string? type = Text(n, "type");
        return type == "Lowercase"
            ? true
            : Fail.With<bool>(EdgeErrorCode.InvalidPackage, $"{where}: normalizer {MessageText.Value(n.GetRawText())} is not supported; gla-tts tokenizers use {{\"type\": \"Lowercase\"}} or none.");
    }

    private static void CheckPreTokenizer(JsonElement root, string where)
    {
        const string expected = "Sequence[Punctuation(Isolated), Split(\" \", Isolated)]";
        Fail.If(!root.TryGetProperty("pre_tokenizer", out var p) || p.ValueKind != JsonValueKind.Object, EdgeErrorCode.InvalidPackage,
            $"{where}: pre_tokenizer is missing; gla-tts tokenizers use {expected}.");
        bool ok = Text(p, "type") == "Sequence" && p.TryGetProperty("pretokenizers", out var list)
            && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() == 2
            && Text(list[0], "type") == "Punctuation" && Behavior(list[0]) == "Isolated"
            && Text(list[1], "type") == "Split" && Behavior(list[1]) == "Isolated"
            && list[1].TryGetProperty("pattern", out var pat) && Text(pat, "String") == " "
            && !(list[1].TryGetProperty("invert", out var inv) && inv.ValueKind == JsonValueKind.True);
        Fail.If(!ok, EdgeErrorCode.InvalidPackage, $"{where}: pre_tokenizer must be {expected}, as Lina-Speech's; other pre-tokenizers are not supported.");
    }

    private static string? Behavior(JsonElement e) => Text(e, "behavior");

    // The string at obj[key], or null when obj is not an object or the value is not a string.
    private static string? Text(JsonElement obj, string key) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    // A token id in [0, MaxTokenId], or -1.
    private static int TokenId(JsonElement v) =>
        v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int id) && id >= 0 && id <= MaxTokenId ? id : -1;

    // Hugging Face's Punctuation splits on Unicode punctuation (P*) plus the ASCII symbols it counts as
    // punctuation; each mark and each space is a piece, and the runs between them are pieces.
    [GeneratedRegex(@"[\p{P}$+<=>^`|~]| |[^\p{P}$+<=>^`|~ ]+")]
    private static partial Regex PiecePattern();
}
