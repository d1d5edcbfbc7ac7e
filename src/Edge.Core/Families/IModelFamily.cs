using Edge.Backends;
using Edge.Packages;

namespace Edge.Families;

/// <summary>
/// What makes a family a family, in one place: its name in model.json, the top-level keys it adds to
/// model.json, its config validation and step description (sizes, typed state layout, initial state,
/// extra step-graph inputs), and how the CPU backend builds it. Backends look families up by name; the
/// core names none. Register your own through <c>EdgeModelOptions.Families</c>.
/// </summary>
public interface IModelFamily
{
    /// <summary>The "family" value in model.json.</summary>
    string Name { get; }

    /// <summary>Top-level model.json keys this family reads besides <see cref="ModelPackage.CommonKeys"/> (a tokenizer file, a forecasting block).</summary>
    IReadOnlyList<string> ManifestKeys { get; }

    /// <summary>
    /// Validates the package's config and describes its step without building the CPU model: what a backend
    /// that runs the step elsewhere (an ONNX graph) needs. Loads only what per-stream conditioning uses.
    /// </summary>
    StepDescription Describe(ModelPackage package);

    /// <summary>Builds the family's CPU implementation; throws <see cref="EdgeErrorCode.UnsupportedFamily"/> when it has none.</summary>
    IStepModel CreateCpuModel(ModelPackage package);

    /// <summary>
    /// Builds the CPU implementation with its weight matrices kept at <paramref name="precision"/> (null: as the
    /// package stores them). A family that does not override this builds at float32 only and refuses anything else.
    /// </summary>
    IStepModel CreateCpuModel(ModelPackage package, WeightPrecision? precision)
    {
        Fail.If(precision is not (null or WeightPrecision.Fp32), EdgeErrorCode.InvalidArgument,
            $"{package.Path}: family {Name} keeps its weights at fp32 only, not {precision?.Name()}. Leave EdgeModelOptions.Precision unset or set it to Fp32.");
        return CreateCpuModel(package);
    }

    /// <summary>
    /// Builds the CPU implementation at <paramref name="precision"/> with one step's large matrix products split
    /// across <paramref name="threads"/> threads (null: the family decides, one thread unless its step is large).
    /// A family that does not override this steps on one thread whatever is asked: its steps are too small to split.
    /// </summary>
    IStepModel CreateCpuModel(ModelPackage package, WeightPrecision? precision, int? threads) => CreateCpuModel(package, precision);
}
