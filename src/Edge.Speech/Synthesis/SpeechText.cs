using System.Text;

namespace Edge.Speech.Synthesis;

/// <summary>
/// A text prepared for speaking: lower-cased, every run of white space (line breaks included) made one
/// space, trimmed, and cut into sentences. Nothing is spelled out: digits and symbols stay as they are and
/// the model's tokenizer refuses what it cannot spell.
/// </summary>
public sealed class SpeechText
{
    private readonly int[] _origin;   // index in the original text of each normalised character

    private SpeechText(string normalized, int[] origin, IReadOnlyList<string> sentences)
    {
        Normalized = normalized;
        _origin = origin;
        Sentences = sentences;
    }

    /// <summary>The whole text after lower-casing and white-space collapsing.</summary>
    public string Normalized { get; }

    /// <summary>The sentences, in order, as the synthesizer speaks them (each ends in <c>.</c>, <c>?</c> or <c>!</c>).</summary>
    public IReadOnlyList<string> Sentences { get; }

    /// <summary>Where the normalised character at <paramref name="index"/> was in the original text.</summary>
    public int OriginalIndex(int index) => _origin[index];

    /// <summary>
    /// Normalises <paramref name="text"/> and splits it at <c>. ? !</c>; a sentence longer than
    /// <paramref name="maxSentenceCharacters"/> is cut at its last comma, else its last space, before the limit.
    /// </summary>
    public static SpeechText Prepare(string text, int maxSentenceCharacters)
    {
        ArgumentNullException.ThrowIfNull(text);
        Fail.If(maxSentenceCharacters < 8, EdgeErrorCode.InvalidArgument,
            $"speech: MaxSentenceCharacters is {maxSentenceCharacters}; it must be at least 8.");
        var sb = new StringBuilder(text.Length);
        var origin = new List<int>(text.Length);
        bool space = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c))
            {
                space = sb.Length > 0;
                continue;
            }
            if (space)
            {
                sb.Append(' ');
                origin.Add(i - 1);
                space = false;
            }
            sb.Append(char.ToLowerInvariant(c));
            origin.Add(i);
        }
        string normalized = sb.ToString();
        return new SpeechText(normalized, [.. origin], Split(normalized, maxSentenceCharacters));
    }

    private static List<string> Split(string s, int max)
    {
        var sentences = new List<string>();
        int start = 0;
        for (int i = 0; i < s.Length; i++)
        {
            // A run of marks (?!, ...) ends a sentence when a space or the end follows it.
            if (!IsEnd(s[i]) || (i + 1 < s.Length && s[i + 1] != ' ')) continue;
            AddPieces(sentences, s.AsSpan(start, i + 1 - start), max);
            start = i + 1;
        }
        if (start < s.Length) AddPieces(sentences, s.AsSpan(start), max);
        return sentences;
    }

    // Cuts a long sentence below the limit: at its last comma, else its last space, else at the limit.
    private static void AddPieces(List<string> into, ReadOnlySpan<char> sentence, int max)
    {
        sentence = sentence.Trim(' ');
        while (sentence.Length > max)
        {
            var head = sentence[..max];
            int cut = head.LastIndexOf(", ");
            cut = cut > 0 ? cut + 1 : head.LastIndexOf(' ') is > 0 and var sp ? sp : max;
            Add(into, sentence[..cut]);
            sentence = sentence[cut..].TrimStart(' ');
        }
        Add(into, sentence);
    }

    // Every training sentence ends in a mark, so a piece without one gets a full stop (a cut comma becomes one).
    private static void Add(List<string> into, ReadOnlySpan<char> piece)
    {
        piece = piece.Trim(' ');
        if (!piece.IsEmpty && IsEnd(piece[^1]))
        {
            into.Add(piece.ToString());
            return;
        }
        piece = piece.TrimEnd(", ");
        if (!piece.IsEmpty) into.Add(string.Concat(piece, "."));
    }

    private static bool IsEnd(char c) => c is '.' or '?' or '!';
}
