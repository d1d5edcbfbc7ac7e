using Edge.Backends;
using Edge.Packages;

namespace Edge.Families.Aaren;

/// <summary>The aaren family: attention as an RNN, a learned-query softmax kept as running sums (see README.md).</summary>
public sealed class AarenFamily : IModelFamily
{
    /// <summary>The shared instance.</summary>
    public static AarenFamily Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "aaren";

    /// <inheritdoc />
    /// <remarks>"forecast": how a forecasting tool turns CSV rows into this model's inputs (see README.md).</remarks>
    public IReadOnlyList<string> ManifestKeys => ["forecast"];

    /// <inheritdoc />
    public StepDescription Describe(ModelPackage package)
    {
        var config = AarenConfig.Read(package.CreateConfigReader());
        var layout = AarenModel.LayoutFor(config);
        return new StepDescription
        {
            InputSize = config.InputDim,
            OutputSize = config.OutputDim,
            State = layout,
            InitialState = AarenModel.InitialStateFor(layout),
        };
    }

    /// <inheritdoc />
    public IStepModel CreateCpuModel(ModelPackage package) => AarenModel.Create(package);

    /// <inheritdoc />
    public IStepModel CreateCpuModel(ModelPackage package, WeightPrecision? precision) => AarenModel.Create(package, precision);
}
