using Edge.Backends;
using Edge.Packages;

namespace Edge.Families.Cae;

/// <summary>The cae family: a 1-D convolutional autoencoder over a ring of the last W samples, scored by its reconstruction error (see README.md).</summary>
public sealed class CaeFamily : IModelFamily
{
    /// <summary>The shared instance.</summary>
    public static CaeFamily Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "cae";

    /// <inheritdoc />
    public IReadOnlyList<string> ManifestKeys => [];

    /// <inheritdoc />
    public StepDescription Describe(ModelPackage package)
    {
        var config = CaeConfig.Read(package.CreateConfigReader());
        var layout = CaeModel.LayoutFor(config);
        return new StepDescription
        {
            InputSize = config.InputDim,
            OutputSize = CaeModel.Outputs,
            State = layout,
            InitialState = new byte[layout.Bytes],
        };
    }

    /// <inheritdoc />
    public IStepModel CreateCpuModel(ModelPackage package) => CaeModel.Create(package);

    /// <inheritdoc />
    public IStepModel CreateCpuModel(ModelPackage package, WeightPrecision? precision) => CaeModel.Create(package, precision);
}
