using System.Text.Json.Nodes;
using Edge.Onnx.Sessions;
using Edge.Streams;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Onnx.Tests;

/// <summary>
/// onnx-stateful on a model the project did not make for Edge: a PyTorch LSTM with two state tensors under
/// other names (h0→hn, c0→cn), a scalar int64 input, a symbolic batch and weights stored as Constant nodes.
/// </summary>
public sealed class OnnxStatefulTests
{
    private static EdgeModel Load(string? path = null) => EdgeModel.Load(path ?? Repo.LstmStateful, new EdgeModelOptions { Backend = TestBackends.Onnx() });

    [Fact]
    public void The_test_model_has_a_symbolic_batch_and_an_int64_scalar_input()
    {
        using var session = new InferenceSession(Path.Combine(Repo.LstmStateful, "model.onnx"));
        Assert.Equal(-1, session.InputMetadata["h0"].Dimensions[1]);
        Assert.Equal(-1, session.InputMetadata["input"].Dimensions[0]);
        Assert.Equal(Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Int64, session.InputMetadata["sr"].ElementDataType);
        Assert.Empty(session.InputMetadata["sr"].Dimensions);
    }

    [Fact]
    public void The_layout_is_named_after_the_state_inputs_with_the_batch_as_one()
    {
        using var model = Load();
        Assert.Equal(["h0", "c0"], model.State.Entries.Select(e => e.Name));
        Assert.Equal([2, 1, 16], model.State["h0"].Shape);
        Assert.Equal([2, 1, 16], model.State["c0"].Shape);
        Assert.Equal(6, model.InputSize);
        Assert.Equal(3, model.OutputSize);
        Assert.Equal("onnx-stateful", model.Family);
    }

    [Fact]
    public void Stepping_equals_onnx_runtime_run_with_the_state_fed_back_by_hand()
    {
        var golden = Golden.Load(Path.Combine("models", "lstm-stateful"));
        using var model = Load();
        var ours = golden.Run(model);

        using var session = new InferenceSession(Path.Combine(Repo.LstmStateful, "model.onnx"));
        using var run = new RunOptions();
        var h = new float[2 * 1 * 16];
        var c = new float[2 * 1 * 16];
        var theirs = new float[golden.Input.Rows * 3];
        for (int t = 0; t < golden.Input.Rows; t++)
        {
            using var x = OrtValue.CreateTensorValueFromMemory(golden.Input.Row(t).ToArray(), [1, 6]);
            using var sr = OrtValue.CreateTensorValueFromMemory(new long[] { 16000 }, []);
            using var h0 = OrtValue.CreateTensorValueFromMemory(h, [2, 1, 16]);
            using var c0 = OrtValue.CreateTensorValueFromMemory(c, [2, 1, 16]);
            using var results = session.Run(run, ["input", "sr", "h0", "c0"], [x, sr, h0, c0], ["output", "hn", "cn"]);
            results[0].GetTensorDataAsSpan<float>().CopyTo(theirs.AsSpan(t * 3, 3));
            h = results[1].GetTensorDataAsSpan<float>().ToArray();
            c = results[2].GetTensorDataAsSpan<float>().ToArray();
        }
        Close.All(theirs, ours, 1e-6f, 1e-6f, "onnx-stateful vs InferenceSession.Run");
    }

    [Fact]
    public void Stepping_matches_the_pytorch_golden_run_and_final_state()
    {
        var golden = Golden.Load(Path.Combine("models", "lstm-stateful"));
        using var model = Load();
        using var stream = model.CreateStream();
        var ours = golden.Run(model, stream);
        Close.All(golden.Output.Data, ours, 1e-4f, 1e-4f, "onnx-stateful vs PyTorch");
        Close.All(golden.FinalState(model), stream.Snapshot().ToFloat32(), 1e-4f, 1e-4f, "final state vs PyTorch");
    }

    [Fact]
    public void The_state_starts_at_zero_and_reset_returns_to_it()
    {
        using var model = Load();
        using var stream = model.CreateStream();
        Assert.All(stream.Snapshot().ToFloat32(), v => Assert.Equal(0f, v));
        stream.Step(new float[6] { 1, 2, 3, 4, 5, 6 }, new float[3]);
        Assert.Contains(stream.Snapshot().ToFloat32(), v => v != 0);
        stream.Reset();
        Assert.All(stream.Snapshot().ToFloat32(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void The_sample_rate_constant_reaches_the_graph()
    {
        using var sr16k = Load();
        using var pkg = new TempPackage(Repo.LstmStateful, j => j["config"]!["constants"]!["sr"]!["value"] = 8000);
        using var sr8k = Load(pkg.Path);
        var x = new float[] { 1, -1, 0.5f, 2, 0, -0.25f };
        var a = new float[3];
        var b = new float[3];
        using (var s = sr16k.CreateStream()) s.Step(x, a);
        using (var s = sr8k.CreateStream()) s.Step(x, b);
        Assert.NotEqual(a, b);   // the graph scales the frame by sr / 16000
    }

    public static TheoryData<string, string, string> BadConfigs() => new()
    {
        { """{"extra": 1}""", "unknown key 'extra'", "InvalidConfig" },
        { """{"state": [{"input": "h0", "output": "hn", "shape": [1]}]}""", "unknown key 'shape'", "InvalidConfig" },
        { """{"state": []}""", "'state' must be a non-empty array", "InvalidConfig" },
        { """{"state": [{"input": "h0", "output": "hn"}]}""", "graph input 'c0' (float32 [2, batch, 16]) is not fed", "InvalidConfig" },
        { """{"state": [{"input": "h0", "output": "hn"}, {"input": "c0", "output": "c_next"}]}""", "no output 'c_next'", "InvalidPackage" },
        { """{"constants": {}}""", "graph input 'sr' (int64 []) is not fed", "InvalidConfig" },
        { """{"constants": {"sr": {"dtype": "float32", "value": 16000}}}""", "constant 'sr' is declared float32 in model.json but the graph takes int64 []", "InvalidConfig" },
        { """{"constants": {"sr": {"dtype": "int64", "value": 16000.5}}}""", "not an integer that fits int64", "InvalidConfig" },
        { """{"constants": {"sr": {"dtype": "int8", "value": 1}}}""", "'dtype' is 'int8'; it must be one of", "InvalidConfig" },
        { """{"input": "frame"}""", "no input 'frame'", "InvalidPackage" },
        { """{"input_shape": [1, 7]}""", "does not fit input 'input'", "ShapeMismatch" },
    };

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public void A_bad_config_is_one_error_naming_what_is_wrong(string patch, string message, string code)
    {
        using var pkg = new TempPackage(Repo.LstmStateful, j =>
        {
            var config = j["config"]!.AsObject();
            foreach (var (k, v) in JsonNode.Parse(patch)!.AsObject()) config[k] = v?.DeepClone();
        });
        var e = Assert.Throws<EdgeException>(() => Load(pkg.Path));
        Assert.Contains(message, e.Message);
        Assert.Equal(code, e.Code.ToString());
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Without_a_graph_the_package_is_refused_with_what_to_add()
    {
        using var pkg = new TempPackage(Repo.LstmStateful, j => j.Remove("onnx"));
        var e = Assert.Throws<EdgeException>(() => Load(pkg.Path));
        Assert.Contains("add \"onnx\": \"model.onnx\"", e.Message);
    }

    [Fact]
    public void The_cpu_backend_points_to_the_onnx_backend()
    {
        var e = Assert.Throws<EdgeException>(() => EdgeModel.Load(Repo.LstmStateful));
        Assert.Equal(EdgeErrorCode.UnsupportedFamily, e.Code);
        Assert.Contains("EdgeModelOptions.Backend", e.Message);
    }

    [Fact]
    public void Its_model_is_an_onnx_step_model_on_the_host()
    {
        using var model = Load();
        var step = Assert.IsType<OnnxStepModel>(model.StepModel);
        Assert.False(step.StateOnDevice);
        Assert.Empty(step.Notices);
    }
}
