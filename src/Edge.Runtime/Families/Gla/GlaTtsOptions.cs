namespace Edge.Families.Gla;

/// <summary>How a gla-tts model sizes its per-stream buffers.</summary>
public sealed record GlaTtsOptions
{
    /// <summary>
    /// Text tokens (BOS and EOS included) each stream's text buffers hold from the start. A longer text
    /// grows them once, when it is set (never during steps).
    /// </summary>
    public int MaxTextTokens { get; init; } = 512;
}
