namespace Edge.Families.Gla;

/// <summary>The errors a gla-tts step raises on either backend, built only when thrown.</summary>
internal static class GlaErrors
{
    /// <summary>A step before any text was set.</summary>
    public static void ThrowNoText() => throw new EdgeException(EdgeErrorCode.TextRequired,
        "gla-tts: no text set. Condition the stream first: stream.GetFeature<ITextConditioning>().SetText(...).");

    /// <summary>A batch step with a stream that has no text; no stream was stepped.</summary>
    public static void ThrowNoText(int row) => throw new EdgeException(EdgeErrorCode.TextRequired,
        $"gla-tts: batch row {row}'s stream has no text set; no stream was stepped. Condition it first: stream.GetFeature<ITextConditioning>().SetText(...).");

    /// <summary>An input that is not an audio token id.</summary>
    public static void ThrowBadId(int q, float value, int vocabulary) => throw new EdgeException(EdgeErrorCode.InvalidInput,
        $"gla-tts: input {q} is {value}; audio token ids are integers in [0, {vocabulary}) (PAD 0, BOS 1, EOS 2, code c as c + 3).");
}
