using Edge.Streams;

namespace Edge.Onnx.Tests;

/// <summary>A package whose step graph does not fit its family is refused at load with one line naming the tensor.</summary>
public sealed class StepGraphErrorTests
{
    private static EdgeException Load(string path) =>
        Assert.Throws<EdgeException>(() => EdgeModel.Load(path, new EdgeModelOptions { Backend = TestBackends.Onnx() }));

    [Fact]
    public void A_graph_onnx_runtime_cannot_read_is_an_invalid_package()
    {
        using var pkg = new TempPackage(Repo.Full(Repo.GruW0), j => j["sha256"]!.AsObject().Remove("step.onnx"));
        File.WriteAllText(Path.Combine(pkg.Path, "step.onnx"), "not a protobuf");
        var e = Load(pkg.Path);
        Assert.Equal(EdgeErrorCode.InvalidPackage, e.Code);
        Assert.Contains("ONNX Runtime cannot load this graph", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_graph_exported_from_other_weights_names_the_tensor_and_both_shapes()
    {
        // onnx-layout's graph has hidden 6; lbr-false-w0's config has hidden 8.
        using var pkg = new TempPackage(Repo.Full(Repo.GruW0), j => j["sha256"]!.AsObject().Remove("step.onnx"));
        File.Copy(Repo.Full(Path.Combine("tests", "fixtures", "gru-attention", "onnx-layout", "step.onnx")), Path.Combine(pkg.Path, "step.onnx"), overwrite: true);
        var e = Load(pkg.Path);
        Assert.Equal(EdgeErrorCode.ShapeMismatch, e.Code);
        Assert.Contains("input 'h' is float32 [2, 6] but the model's config implies [2, 8]", e.Message);
    }

    [Fact]
    public void A_graph_of_another_model_names_the_first_tensor_that_does_not_fit()
    {
        using var pkg = new TempPackage(Repo.Full(Repo.GruW0), j => j["sha256"]!.AsObject().Remove("step.onnx"));
        File.Copy(Path.Combine(Repo.LstmStateful, "model.onnx"), Path.Combine(pkg.Path, "step.onnx"), overwrite: true);
        var e = Load(pkg.Path);
        Assert.Equal(EdgeErrorCode.ShapeMismatch, e.Code);
        Assert.Contains("input 'input' is float32 [batch, 6] but the model's config implies [1, 3]", e.Message);
    }

    [Fact]
    public void A_package_without_a_step_graph_points_to_the_export_script_or_the_cpu_backend()
    {
        using var pkg = new TempPackage(Repo.Full(Repo.GruW0), j => j.Remove("onnx"));
        var e = Load(pkg.Path);
        Assert.Equal(EdgeErrorCode.UnsupportedFamily, e.Code);
        Assert.Contains("CPU backend", e.Message);
    }
}
