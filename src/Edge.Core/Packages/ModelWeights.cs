using Edge.Formats.Safetensors;

namespace Edge.Packages;

/// <summary>
/// The tensors of a package's weights file, taken one by one by a family with the shape its config
/// implies. A missing tensor, a wrong shape and a tensor nobody took are errors that name the tensor.
/// </summary>
public sealed class ModelWeights : IDisposable
{
    private readonly SafetensorsFile _file;
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);

    /// <summary>Wraps an open, validated safetensors file; this object owns it.</summary>
    public ModelWeights(SafetensorsFile file) => _file = file;

    /// <summary>The file's name for messages.</summary>
    public string DisplayName => _file.DisplayName;

    /// <summary>True when the tensor exists.</summary>
    public bool Has(string name) => _file.TryGet(name, out _);

    /// <summary>Reads a float tensor as float32 after checking its shape.</summary>
    public float[] Take(string name, params int[] shape)
    {
        if (!_file.TryGet(name, out var info))
            return Fail.With<float[]>(EdgeErrorCode.MissingTensor,
                $"{_file.DisplayName}: tensor '{name}' {Fail.Shape(shape)} is missing. The weights do not match model.json's config.");
        if (info.DType is TensorDType.I8 or TensorDType.U8) return TakeQuantized(name, info, shape);
        Fail.If(!info.Shape.AsSpan().SequenceEqual(shape), EdgeErrorCode.ShapeMismatch,
            $"{_file.DisplayName}: tensor '{name}' has shape {info.ShapeText}, expected {Fail.Shape(shape)} from model.json's config.");
        _taken.Add(name);
        return _file.ReadFloat32(info);
    }

    /// <summary>Columns that share one scale in a q4 tensor.</summary>
    public const int Q4Group = 32;

    // A matrix written by `edge quantize`: I8 with one F32 scale per row, or U8 holding two 4-bit values a byte
    // (ggml's Q4_0 order: in each group of 32 columns byte j holds column j low, column 16 + j high, each
    // plus 8) with one F32 scale per row and group; "<name>.scale" holds the scales. Returned widened to
    // float32 (value × scale); the CPU backend packs it again at the precision the model is loaded with.
    private float[] TakeQuantized(string name, TensorInfo info, int[] shape)
    {
        string where = $"{_file.DisplayName}: tensor '{MessageText.Value(name)}'";
        Fail.If(shape.Length < 2, EdgeErrorCode.InvalidSafetensors,
            $"{where} is {info.DType}, but only matrices are quantized; this {Fail.Shape(shape)} tensor must be a float type. Re-run edge quantize on the original package.");
        Fail.If(!_file.TryGet(name + ".scale", out var scaleInfo), EdgeErrorCode.MissingTensor,
            $"{where} is {info.DType} (quantized) but its scales '{MessageText.Value(name)}.scale' are missing.");
        bool q4 = info.DType == TensorDType.U8;
        int cols = shape[^1], groups = (cols + Q4Group - 1) / Q4Group;
        long rows = 1;
        foreach (int d in shape[..^1]) rows *= d;
        int[] stored = q4 ? [.. shape[..^1], groups * Q4Group / 2] : shape;
        int[] scales = q4 ? [.. shape[..^1], groups] : shape[..^1];
        Fail.If(!info.Shape.AsSpan().SequenceEqual(stored), EdgeErrorCode.ShapeMismatch,
            $"{where} has shape {info.ShapeText}, expected {Fail.Shape(stored)} for a {(q4 ? "q4" : "int8")} {Fail.Shape(shape)} matrix from model.json's config.");
        Fail.If(scaleInfo.DType != TensorDType.F32 || !scaleInfo.Shape.AsSpan().SequenceEqual(scales), EdgeErrorCode.ShapeMismatch,
            $"{where}: its scales are {scaleInfo.DType} {scaleInfo.ShapeText}, expected F32 {Fail.Shape(scales)}.");
        Fail.If(rows * cols > Array.MaxLength, EdgeErrorCode.InvalidSafetensors, $"{where} is too large to load.");
        _taken.Add(name);
        _taken.Add(name + ".scale");
        var scale = _file.ReadFloat32(scaleInfo);
        foreach (float v in scale)
            Fail.If(!float.IsFinite(v), EdgeErrorCode.InvalidSafetensors, $"{where}: a scale is {v}; scales must be finite.");
        var raw = new byte[info.ElementCount];   // the header checks already tied the element count to the file's bytes
        _file.ReadRaw(info, raw);
        var result = new float[rows * cols];
        if (!q4)
        {
            for (long i = 0; i < result.LongLength; i++) result[i] = (sbyte)raw[i] * scale[i / cols];
            return result;
        }
        int rowBytes = groups * Q4Group / 2;
        for (long r = 0; r < rows; r++)
        {
            for (int g = 0; g < groups; g++)
            {
                float s = scale[r * groups + g];
                for (int j = 0; j < Q4Group / 2; j++)
                {
                    byte b = raw[r * rowBytes + g * (Q4Group / 2) + j];
                    int c0 = g * Q4Group + j, c1 = c0 + Q4Group / 2;
                    if (c0 < cols) result[r * cols + c0] = ((b & 15) - 8) * s;
                    if (c1 < cols) result[r * cols + c1] = ((b >> 4) - 8) * s;
                }
            }
        }
        return result;
    }

    /// <summary>Reads a float tensor whose shape the caller checks itself (e.g. a voice's rank).</summary>
    public float[] Take(string name, out int[] shape)
    {
        if (!_file.TryGet(name, out var info))
        {
            shape = [];
            return Fail.With<float[]>(EdgeErrorCode.MissingTensor, $"{_file.DisplayName}: tensor '{name}' is missing.");
        }
        _taken.Add(name);
        shape = info.Shape;
        return _file.ReadFloat32(info);
    }

    /// <summary>Refuses tensors no family read asked for: they mean the config and the weights disagree.</summary>
    public void EnsureAllTaken()
    {
        foreach (var t in _file.Tensors)
        {
            if (!_taken.Contains(t.Name))
                Fail.With(EdgeErrorCode.InvalidPackage,
                    $"{_file.DisplayName}: tensor '{MessageText.Value(t.Name)}' {t.ShapeText} is not used by this model's config. The weights do not match model.json (e.g. a wrong 'layers').");
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _file.Dispose();
}
