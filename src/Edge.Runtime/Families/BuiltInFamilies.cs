using Edge.Families.Aaren;
using Edge.Families.Cae;
using Edge.Families.Gla;
using Edge.Families.GruAttention;

namespace Edge.Families;

/// <summary>The families that ship with the runtime, each defined in its own folder; the one list that names them.</summary>
public static class BuiltInFamilies
{
    /// <summary>gru-attention, aaren, gla-tts and cae.</summary>
    public static IReadOnlyList<IModelFamily> All { get; } = [GruAttentionFamily.Instance, AarenFamily.Instance, GlaTtsFamily.Instance, CaeFamily.Instance];
}
