using System.Text.Json;
using Edge.Packages;

namespace Edge.Families.Cae;

/// <summary>The cae config (docs/families/cae.md), validated: the window, the encoder's layers and the score's options.</summary>
public sealed record CaeConfig(
    int InputDim, int Window, int Hop, int[] Channels, int[] Kernels, int[] Strides, int LatentDim, float Threshold,
    float? ErrorClip, float[] ChannelWeights, float[] InputMean, float[] InputStd)
{
    /// <summary>Encoder layers E.</summary>
    public int Layers => Channels.Length;

    /// <summary>Channels entering encoder layer i: <c>c_{i−1}</c>, with <c>c_{−1}</c> = input_dim.</summary>
    public int InChannels(int i) => i == 0 ? InputDim : Channels[i - 1];

    /// <summary>Length <c>L_i</c> of the signal entering encoder layer i (<c>L_0</c> = window, <c>L_E</c> the bottleneck's).</summary>
    public int Length(int i)
    {
        int l = Window;
        for (int j = 0; j < i; j++) l /= Strides[j];
        return l;
    }

    /// <summary>The bottleneck's flat input size <c>M = c_{E−1} · L_E</c>.</summary>
    public int Flat => Channels[^1] * Length(Layers);

    /// <summary>Reads and validates the config; unknown keys are an error.</summary>
    public static CaeConfig Read(ModelConfig c)
    {
        int f = c.Int("input_dim", 1, 1 << 16);
        int w = c.Int("window", 1, 1 << 16);
        int hop = c.Int("hop", 1, 1 << 20);
        var channels = IntArray(c, "channels", 1, 1 << 14, null);
        var kernels = IntArray(c, "kernels", 1, 1 << 10, channels.Length);
        var strides = IntArray(c, "strides", 1, 1 << 16, channels.Length);
        int z = c.Int("latent_dim", 1, 1 << 16);
        float threshold = c.Float("threshold");
        float? clip = c.Has("error_clip") ? c.Float("error_clip") : null;
        var weights = c.FloatArray("channel_weights", f, 1f);
        var mean = c.FloatArray("input_mean", f, 0f);
        var std = c.FloatArray("input_std", f, 1f);
        c.EnsureNoUnknownKeys();

        Fail.If(w * (long)f > 1 << 24, EdgeErrorCode.InvalidConfig, $"config: window × input_dim = {w * (long)f} exceeds 16,777,216 values; use a shorter window.");
        Fail.If(clip is { } e && !(e > 0), EdgeErrorCode.InvalidConfig, $"config: error_clip is {clip}; it must be greater than 0 (or absent for no clipping).");
        for (int i = 0; i < f; i++)
        {
            Fail.If(std[i] == 0, EdgeErrorCode.InvalidConfig, $"config: input_std[{i}] is 0; a standard deviation must be non-zero.");
            Fail.If(weights[i] < 0, EdgeErrorCode.InvalidConfig, $"config: channel_weights[{i}] is {weights[i]}; weights must be 0 or more.");
        }
        Fail.If(weights.All(v => v == 0), EdgeErrorCode.InvalidConfig, "config: every channel_weights value is 0, so the score would always be 0; give at least one feature a positive weight.");
        int length = w;
        for (int i = 0; i < channels.Length; i++)
        {
            Fail.If(kernels[i] % 2 == 0, EdgeErrorCode.InvalidConfig, $"config: kernels[{i}] is {kernels[i]}; kernel sizes must be odd (padding (k − 1)/2 on each side).");
            Fail.If(length % strides[i] != 0, EdgeErrorCode.InvalidConfig,
                $"config: strides[{i}] = {strides[i]} does not divide the length {length} entering encoder layer {i}; choose a window and strides whose running quotients are integers.");
            length /= strides[i];
            Fail.If(channels[i] * (long)length > 1 << 24, EdgeErrorCode.InvalidConfig, $"config: encoder layer {i} would hold {channels[i] * (long)length} values; use fewer channels or a shorter window.");
        }
        return new CaeConfig(f, w, hop, channels, kernels, strides, z, threshold, clip, weights, mean, std);
    }

    // An int array whose length is either free (≥ 1, at most 64 layers) or must equal the given one.
    private static int[] IntArray(ModelConfig c, string key, int min, int max, int? length)
    {
        var v = c.Element(key);
        Fail.If(v.ValueKind != JsonValueKind.Array, EdgeErrorCode.InvalidConfig, $"config: '{key}' must be an array of integers.");
        int n = v.GetArrayLength();
        if (length is { } expected)
            Fail.If(n != expected, EdgeErrorCode.InvalidConfig, $"config: '{key}' has {n} values but 'channels' has {expected}; give one per encoder layer.");
        else
            Fail.If(n < 1 || n > 64, EdgeErrorCode.InvalidConfig, $"config: '{key}' has {n} values; give 1 to 64 encoder layers.");
        var result = new int[n];
        int i = 0;
        foreach (var e in v.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out int x) || x < min || x > max)
                Fail.With(EdgeErrorCode.InvalidConfig, $"config: '{key}'[{i}] must be an integer from {min} to {max}, found {MessageText.Value(e.GetRawText())}.");
            else
                result[i] = x;
            i++;
        }
        return result;
    }
}
