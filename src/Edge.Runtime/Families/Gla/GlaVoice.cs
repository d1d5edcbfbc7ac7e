using System.Globalization;
using Edge.Formats.Safetensors;
using Edge.Streams;

namespace Edge.Families.Gla;

/// <summary>
/// Voice files: the initial S of every encoder then decoder GLA layer (not the pos_net; rings start at zero).
/// Read forms: Lina-Speech's rank r (<c>layer{i}_k [1,r,H,Kh,1]</c>, <c>layer{i}_v [1,r,H,1,Vh]</c>,
/// <c>S0[h] = 0.02·Σ_r k_r[h] ⊗ v_r[h]</c>) and full rank (<c>layer{i} [1,H,Kh,Vh]</c>, used unscaled).
/// Edge writes the full-rank form with metadata binding it to the model's sha256, as state files are.
/// </summary>
public static class GlaVoice
{
    /// <summary>Lina-Speech's scale for rank-r voices (<c>train_initial_state</c>'s default).</summary>
    public const float RankScale = 0.02f;

    /// <summary>The metadata "format" value of voices Edge writes.</summary>
    public const string Format = "edge-voice";

    private const long MaxBytes = 1L << 32;

    /// <summary>Reads a voice for the model of <paramref name="c"/> and <paramref name="modelSha256"/>: one S0 <c>[H·Kh·Vh]</c> per encoder then decoder layer.</summary>
    public static float[][] Load(string path, GlaConfig c, string modelSha256)
    {
        var s = c.MainLayer;
        int layers = c.EncoderLayers + c.DecoderLayers;
        Fail.If(!File.Exists(path), EdgeErrorCode.FileNotFound, $"{path}: no such voice file.");
        using var file = SafetensorsFile.Open(path, MaxBytes);
        if (file.Metadata.TryGetValue("model_sha256", out var sha))
        {
            Fail.If(!file.Metadata.TryGetValue("format", out var f) || f != Format, EdgeErrorCode.InvalidState,
                $"{path}: metadata names a model but format is not '{Format}'; it is not a voice file.");
            Fail.If(sha != modelSha256, EdgeErrorCode.StateModelMismatch,
                $"{path}: voice was made with model {Short(sha)}, not with this one ({Short(modelSha256)}). Make the voice again with this model.");
        }
        var known = new HashSet<string>(StringComparer.Ordinal);
        var result = new float[layers][];
        int h = s.Heads, kh = s.HeadKeyDim, vh = s.HeadValueDim;
        for (int i = 0; i < layers; i++)
        {
            string k = $"layer{i}_k", v = $"layer{i}_v", full = $"layer{i}";
            known.UnionWith([k, v, full]);
            var s0 = new float[h * kh * vh];
            if (file.TryGet(k, out var kInfo))
            {
                Fail.If(!file.TryGet(v, out var vInfo), EdgeErrorCode.InvalidState, $"{path}: has {k} but not {v}.");
                int r = kInfo.Shape.Length == 5 ? kInfo.Shape[1] : -1;
                Fail.If(r < 1 || !kInfo.Shape.AsSpan().SequenceEqual([1, r, h, kh, 1]) || !vInfo.Shape.AsSpan().SequenceEqual([1, r, h, 1, vh]),
                    EdgeErrorCode.InvalidState,
                    $"{path}: {k} is {kInfo.ShapeText} and {v} is {vInfo.ShapeText}; this model needs [1, r, {h}, {kh}, 1] and [1, r, {h}, 1, {vh}].");
                var kv = file.ReadFloat32(kInfo);
                var vv = file.ReadFloat32(vInfo);
                for (int rank = 0; rank < r; rank++)
                    for (int head = 0; head < h; head++)
                        for (int a = 0; a < kh; a++)
                        {
                            float ka = kv[(rank * h + head) * kh + a];
                            for (int b = 0; b < vh; b++) s0[(head * kh + a) * vh + b] += ka * vv[(rank * h + head) * vh + b];
                        }
                for (int n = 0; n < s0.Length; n++) s0[n] *= RankScale;
            }
            else if (file.TryGet(full, out var fInfo))
            {
                Fail.If(!fInfo.Shape.AsSpan().SequenceEqual([1, h, kh, vh]), EdgeErrorCode.InvalidState,
                    $"{path}: {full} is {fInfo.ShapeText}; this model needs [1, {h}, {kh}, {vh}].");
                file.ReadFloat32(fInfo, s0);
            }
            else
            {
                Fail.With(EdgeErrorCode.InvalidState,
                    $"{path}: no {k}/{v} (nor {full}); a voice for this model has {layers} layers (encoder then decoder).");
            }
            foreach (float x in s0)
                Fail.If(!float.IsFinite(x), EdgeErrorCode.InvalidState, $"{path}: layer {i} holds a non-finite value; the file is corrupt.");
            result[i] = s0;
        }
        var extra = file.Tensors.FirstOrDefault(t => !known.Contains(t.Name));
        Fail.If(extra is not null, EdgeErrorCode.InvalidState,
            $"{path}: tensor '{MessageText.Value(extra?.Name)}' is not part of a voice for this model ({layers} layers); was it made for a deeper model?");
        return result;
    }

    /// <summary>The initial state a voice gives: zeros, with each encoder then decoder layer's S set to the voice's S0.</summary>
    public static byte[] ToInitialState(IReadOnlyList<float[]> layers, GlaConfig c, StateLayout layout)
    {
        var state = new byte[layout.Bytes];
        for (int i = 0; i < layers.Count; i++) layers[i].CopyTo(StateLayout.Floats(state.AsSpan(), layout[LayerEntry(c, i)]));
        return state;
    }

    /// <summary>
    /// Writes the S of every encoder then decoder layer of <paramref name="state"/> (flat, in <paramref name="layout"/>)
    /// as a full-rank voice bound to the model's sha256; its size never depends on how many steps made it.
    /// </summary>
    public static void Save(string path, GlaConfig c, string modelSha256, StateLayout layout, ReadOnlySpan<byte> state, long steps)
    {
        var s = c.MainLayer;
        var entries = new List<SafetensorsWriter.Entry>();
        for (int i = 0; i < c.EncoderLayers + c.DecoderLayers; i++)
            entries.Add(new($"layer{i}", [1, s.Heads, s.HeadKeyDim, s.HeadValueDim], StateLayout.Floats(state, layout[LayerEntry(c, i)]).ToArray()));
        var meta = new Dictionary<string, string>
        {
            ["format"] = Format,
            ["format_version"] = "1",
            ["family"] = GlaTtsFamily.FamilyName,
            ["model_sha256"] = modelSha256,
            ["steps"] = steps.ToString(CultureInfo.InvariantCulture),
        };
        SafetensorsWriter.Write(path, entries, meta);
    }

    // Voice layer i is encoder layer i, then decoder layer i − E.
    private static string LayerEntry(GlaConfig c, int i) => i < c.EncoderLayers ? $"encoder.{i}.S" : $"decoder.{i - c.EncoderLayers}.S";

    private static string Short(string sha) => sha.Length > 12 ? sha[..12] : sha;
}
