namespace Edge.Packages;

/// <summary>The names of <see cref="WeightPrecision"/> as model.json, device profiles and the command line spell them.</summary>
public static class WeightPrecisions
{
    /// <summary>fp32, fp16, int8, q4.</summary>
    public static IReadOnlyList<string> Names { get; } = ["fp32", "fp16", "int8", "q4"];

    /// <summary>The lower-case name ("int8").</summary>
    public static string Name(this WeightPrecision precision) => Names[(int)precision];

    /// <summary>Parses a name; false for anything else.</summary>
    public static bool TryParse(string? text, out WeightPrecision precision)
    {
        int i = text is null ? -1 : Names.ToList().IndexOf(text);
        precision = i < 0 ? WeightPrecision.Fp32 : (WeightPrecision)i;
        return i >= 0;
    }
}
