namespace Edge.Streams;

/// <summary>
/// A stream whose steps are conditioned on a text (text to speech). Get it with
/// <c>stream.GetFeature&lt;ITextConditioning&gt;()</c>. The text is encoded once, when set; the recurrent
/// state is not touched, so a text can be set again after a state load to continue a
/// run in chunks.
/// </summary>
public interface ITextConditioning
{
    /// <summary>Text token ids the model knows (ids must be below this).</summary>
    int TextVocabulary { get; }

    /// <summary>Tokens of the current text, BOS and EOS included (0 before any text is set).</summary>
    int TextLength { get; }

    /// <summary>Tokenizes <c>"[BOS]" + text + "[EOS]"</c> with the package's tokenizer and conditions on it.</summary>
    void SetText(string text);

    /// <summary>Conditions on already-tokenized ids (BOS and EOS included, as the tokenizer writes them).</summary>
    void SetTextIds(ReadOnlySpan<int> ids);
}
