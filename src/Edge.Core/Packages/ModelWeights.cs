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
        Fail.If(!info.Shape.AsSpan().SequenceEqual(shape), EdgeErrorCode.ShapeMismatch,
            $"{_file.DisplayName}: tensor '{name}' has shape {info.ShapeText}, expected {Fail.Shape(shape)} from model.json's config.");
        _taken.Add(name);
        return _file.ReadFloat32(info);
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
