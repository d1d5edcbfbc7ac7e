using Edge.Backends;
using Edge.Packages;

namespace Edge.Families.GruAttention;

/// <summary>The gru-attention family: a stacked GRU with additive attention over its hidden states (see README.md).</summary>
public sealed class GruAttentionFamily : IModelFamily
{
    /// <summary>The shared instance.</summary>
    public static GruAttentionFamily Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "gru-attention";

    /// <inheritdoc />
    public IReadOnlyList<string> ManifestKeys => [];

    /// <inheritdoc />
    public StepDescription Describe(ModelPackage package)
    {
        var config = GruAttentionConfig.Read(package.CreateConfigReader());
        var layout = GruAttentionModel.LayoutFor(config);
        return new StepDescription
        {
            InputSize = config.InputDim,
            OutputSize = config.OutputDim,
            State = layout,
            InitialState = GruAttentionModel.InitialStateFor(config, layout),
        };
    }

    /// <inheritdoc />
    public IStepModel CreateCpuModel(ModelPackage package) => GruAttentionModel.Create(package);

    /// <inheritdoc />
    public IStepModel CreateCpuModel(ModelPackage package, WeightPrecision? precision) => GruAttentionModel.Create(package, precision);
}
