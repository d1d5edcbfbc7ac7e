using Edge.Formats.Safetensors;

namespace Edge.Speech.Codecs.MelVq;

/// <summary>
/// Edge's own speech codec: one code per frame naming a log-mel spectrum of a codebook, decoded by streaming
/// phase reconstruction (RTISI-LA). The tensors are read once and shared, read-only, by every encoder and decoder.
/// </summary>
public sealed class MelVqCodec : ISpeechCodec
{
    private MelVqCodec(MelVqConfig config, double[] codebook, double[] filterbank, double[] inverse)
    {
        Config = config;
        Codebook = codebook;
        Filterbank = filterbank;
        Inverse = inverse;
        Window = new double[config.FftSize];
        // Periodic Hann, as the reference's hann(): 0.5 - 0.5 cos(2 pi n / N).
        for (int n = 0; n < Window.Length; n++) Window[n] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * n / config.FftSize);
    }

    /// <inheritdoc />
    public string Kind => "mel-vq";

    /// <inheritdoc />
    public int SampleRate => Config.SampleRate;

    /// <inheritdoc />
    public int SamplesPerFrame => Config.Hop;

    /// <inheritdoc />
    public int Quantizers => 1;

    /// <inheritdoc />
    public int CodebookSize => Config.CodebookSize;

    /// <inheritdoc />
    public int LookaheadFrames => Config.Lookahead;

    /// <summary>Samples between a frame's arrival and its audio being final: (look-ahead + 1) hops + half a window.</summary>
    public int LatencySamples => (Config.Lookahead + 1) * Config.Hop + Config.FftSize / 2;

    internal MelVqConfig Config { get; }

    /// <summary>[K, n_mels] log-mel rows.</summary>
    internal double[] Codebook { get; }

    /// <summary>[n_mels, bins] triangles.</summary>
    internal double[] Filterbank { get; }

    /// <summary>[bins, n_mels] pseudo-inverse of the filterbank.</summary>
    internal double[] Inverse { get; }

    internal double[] Window { get; }

    /// <inheritdoc />
    public ICodecDecoder CreateDecoder() => new MelVqDecoder(this);

    /// <inheritdoc />
    public ICodecEncoder CreateEncoder() => new MelVqEncoder(this);

    internal static ISpeechCodec Load(CodecFolder folder, CodecJson json)
    {
        var config = MelVqConfig.Read(json);
        using var file = folder.OpenSafetensors(MelVqConfig.TensorFile);
        double[] codebook = ReadTensor(file, "codebook", config.CodebookSize, config.Mels);
        double[] filterbank = ReadTensor(file, "filterbank", config.Mels, config.Bins);
        double[] inverse = ReadTensor(file, "inverse", config.Bins, config.Mels);
        return new MelVqCodec(config, codebook, filterbank, inverse);
    }

    // Shape and dtype are checked against codec.json before any element is read.
    private static double[] ReadTensor(SafetensorsFile file, string name, int rows, int columns)
    {
        Fail.If(!file.TryGet(name, out var info), EdgeErrorCode.InvalidPackage,
            $"{file.DisplayName}: tensor '{name}' is missing; a mel-vq codec needs codebook, filterbank and inverse.");
        Fail.If(info.DType != TensorDType.F32, EdgeErrorCode.InvalidPackage,
            $"{file.DisplayName}: tensor '{name}' is {info.DType}; it must be F32.");
        Fail.If(info.Shape.Length != 2 || info.Shape[0] != rows || info.Shape[1] != columns, EdgeErrorCode.InvalidPackage,
            $"{file.DisplayName}: tensor '{name}' has shape {info.ShapeText}; codec.json implies [{rows}, {columns}].");
        float[] values = file.ReadFloat32(info);
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            Fail.If(!float.IsFinite(values[i]), EdgeErrorCode.InvalidPackage,
                $"{file.DisplayName}: tensor '{name}' holds a non-finite value at element {i}; re-export the codec.");
            result[i] = values[i];
        }
        return result;
    }
}
