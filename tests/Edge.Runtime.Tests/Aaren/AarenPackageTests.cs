using Edge.Streams;

namespace Edge.Runtime.Tests.Aaren;

/// <summary>model.json and weights that disagree with docs/package-format.md and docs/families/aaren.md are refused with a message naming the key or tensor.</summary>
public sealed class AarenPackageTests
{
    [Fact]
    public void Unknown_config_key_is_an_error_naming_it()
    {
        var e = LoadFails(AarenSpec.Random(1, heads: 2), c => c["window"] = 8);
        Assert.Equal(EdgeErrorCode.InvalidConfig, e.Code);
        Assert.Contains("unknown key 'window'", e.Message);
    }

    [Fact]
    public void D_model_that_is_not_a_multiple_of_heads_is_an_error()
    {
        var spec = AarenSpec.Random(2, heads: 4);
        int wrong = Enumerable.Range(3, 10).First(h => spec.DModel % h != 0);
        var e = LoadFails(spec, c => c["heads"] = wrong);
        Assert.Equal(EdgeErrorCode.InvalidConfig, e.Code);
        Assert.Contains("not a multiple of heads", e.Message);
    }

    [Fact]
    public void Unknown_activation_is_an_error_listing_the_known_ones()
    {
        var e = LoadFails(AarenSpec.Random(3, heads: 2), c => c["activation"] = "gelu");
        Assert.Equal(EdgeErrorCode.InvalidConfig, e.Code);
        Assert.Contains("gelu_tanh, silu, relu", e.Message);
    }

    [Fact]
    public void Missing_tensor_is_an_error_naming_it_and_its_shape()
    {
        var spec = AarenSpec.Random(4, heads: 2, layers: 2);
        spec.Tensors.Remove("layers.1.query");
        var e = LoadFails(spec);
        Assert.Equal(EdgeErrorCode.MissingTensor, e.Code);
        Assert.Contains($"'layers.1.query' [{spec.DModel}]", e.Message);
    }

    [Fact]
    public void Wrong_shape_is_an_error_naming_both_shapes()
    {
        var spec = AarenSpec.Random(5, heads: 2, layers: 1);
        spec.Add("head.bias", [spec.OutputDim + 1], new float[spec.OutputDim + 1]);
        var e = LoadFails(spec);
        Assert.Equal(EdgeErrorCode.ShapeMismatch, e.Code);
        Assert.Contains($"[{spec.OutputDim + 1}], expected [{spec.OutputDim}]", e.Message);
    }

    [Fact]
    public void Extra_layer_in_the_weights_is_an_error()
    {
        var spec = AarenSpec.Random(6, heads: 2, layers: 2);
        var e = LoadFails(spec, c => c["layers"] = 1);
        Assert.Equal(EdgeErrorCode.InvalidPackage, e.Code);
        Assert.Contains("layers.1.", e.Message);
    }

    private static EdgeException LoadFails(AarenSpec spec, Action<Dictionary<string, object>>? edit = null)
    {
        using var dir = new TempFolder();
        spec.WritePackage(dir.Path, edit);
        return Assert.Throws<EdgeException>(() => EdgeModel.Load(dir.Path).Dispose());
    }
}
