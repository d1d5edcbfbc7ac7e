using Edge.Backends;
using Edge.Diagnostics;
using Edge.Onnx.Sessions;
using Edge.Streams;
using Xunit.Abstractions;

namespace Edge.Onnx.Tests;

/// <summary>
/// gla-tts on the ONNX backend (step.onnx = the decoder step; text K, V, P from the CPU family, bound as
/// inputs): the same logits and state as the CPU backend on every golden run, voices and texts behave alike.
/// </summary>
[Trait("Category", "Parity")]
public sealed class GlaOnnxTests(ITestOutputHelper log)
{
    private static readonly string Lina = Path.Combine("models", "lina-reference");

    public static TheoryData<string, string, string?> Goldens() => new()
    {
        { Lina, "golden", null },
        { Lina, "golden-voice", "voices/demo.safetensors" },
        { Path.Combine("tests", "fixtures", "gla", "h1-noconv-sin"), "golden", null },
        { Path.Combine("tests", "fixtures", "gla", "h1-noconv-sin"), "golden-voice", "voices/demo.safetensors" },
        { Path.Combine("tests", "fixtures", "gla", "h4-conv"), "golden", null },
        { Path.Combine("tests", "fixtures", "gla", "h4-conv"), "golden-voice", "voices/demo.safetensors" },
        { Path.Combine("tests", "fixtures", "gla", "h2-odd-rotary"), "golden", null },
    };

    [Theory]
    [MemberData(nameof(Goldens))]
    [Trait("Category", "Golden")]
    public void Onnx_and_cpu_agree_on_the_golden_runs(string package, string folder, string? voice)
    {
        var golden = Golden.Load(package, folder, voice);
        using var cpu = EdgeModel.Load(Repo.Full(package));
        using var onnx = EdgeModel.Load(Repo.Full(package), new EdgeModelOptions { Backend = TestBackends.Onnx() });
        Assert.IsType<OnnxStepModel>(onnx.StepModel);
        using var cpuStream = cpu.CreateStream();
        using var onnxStream = onnx.CreateStream();
        golden.Start(cpuStream);
        golden.Start(onnxStream);
        var cpuOut = golden.Run(cpu, cpuStream);
        var onnxOut = golden.Run(onnx, onnxStream);
        var cpuState = cpuStream.Snapshot().ToFloat32();
        var onnxState = onnxStream.Snapshot().ToFloat32();
        log.WriteLine($"{package}/{folder}: max abs logit error onnx vs cpu {Close.MaxAbs(cpuOut, onnxOut):E2}, onnx vs golden {Close.MaxAbs(golden.Output.Data, onnxOut):E2}, cpu vs golden {Close.MaxAbs(golden.Output.Data, cpuOut):E2}; state onnx vs cpu {Close.MaxAbs(cpuState, onnxState):E2}");

        // Two float32 implementations summing in different orders: the gap grows with the logit's size (1.08e-4
        // at a logit of 1.68 on lina-reference/golden, each backend within 6e-5 of the float64 golden).
        Close.All(cpuOut, onnxOut, ParityTests.Tolerance, ParityTests.Tolerance, $"{package}/{folder}: onnx vs cpu logits");
        Close.All(cpuState, onnxState, ParityTests.Tolerance, ParityTests.Tolerance, $"{package}/{folder}: onnx vs cpu final state");
        // The golden is a float64 run; a float32 step (either backend) lands within 1e-4 of it on logits up to 8.8.
        Close.All(golden.Output.Data, onnxOut, 2 * ParityTests.Tolerance, 0, $"{package}/{folder}: onnx vs golden logits");
    }

    [Fact]
    public void A_new_text_mid_stream_and_a_longer_one_agree_with_the_cpu_backend()
    {
        var golden = Golden.Load(Lina);
        using var cpu = EdgeModel.Load(Repo.Full(Lina));
        using var onnx = EdgeModel.Load(Repo.Full(Lina), new EdgeModelOptions { Backend = TestBackends.Onnx() });
        string[] texts = ["Hi.", golden.Text!, "A much longer sentence, so that the text tensors grow past the first ones: it has many more tokens than before!"];
        var a = Drive(cpu, texts, golden);
        var b = Drive(onnx, texts, golden);
        log.WriteLine($"three texts, one stream: max abs logit error onnx vs cpu {Close.MaxAbs(a, b):E2}");
        Close.All(a, b, ParityTests.Tolerance, 0, "onnx vs cpu over three texts");
    }

    private static float[] Drive(EdgeModel model, string[] texts, Golden golden)
    {
        using var s = model.CreateStream();
        var text = s.GetFeature<ITextConditioning>()!;
        int o = model.OutputSize, per = 20;
        var output = new float[texts.Length * per * o];
        for (int i = 0; i < texts.Length; i++)
        {
            text.SetText(texts[i]);
            for (int t = 0; t < per; t++) s.Step(golden.Input.Row(i * per + t), output.AsSpan((i * per + t) * o, o));
        }
        return output;
    }

    [Fact]
    public void A_voice_saved_on_onnx_equals_one_saved_on_cpu()
    {
        var golden = Golden.Load(Lina, "golden-voice", "voices/demo.safetensors");
        string dir = Directory.CreateTempSubdirectory("edge-gla-onnx").FullName;
        try
        {
            using var cpu = EdgeModel.Load(Repo.Full(Lina));
            using var onnx = EdgeModel.Load(Repo.Full(Lina), new EdgeModelOptions { Backend = TestBackends.Onnx() });
            foreach (var (model, name) in new[] { (cpu, "cpu"), (onnx, "onnx") })
            {
                using var s = model.CreateStream();
                golden.Run(model, s);
                s.GetFeature<IVoiceConditioning>()!.SaveVoice(Path.Combine(dir, name + ".safetensors"));
            }
            float[] Loaded(string name)
            {
                using var s = cpu.CreateStream();
                s.GetFeature<IVoiceConditioning>()!.LoadVoice(Path.Combine(dir, name + ".safetensors"));
                return s.Snapshot().ToFloat32();
            }
            Close.All(Loaded("cpu"), Loaded("onnx"), ParityTests.Tolerance, ParityTests.Tolerance, "voice saved on onnx vs on cpu");

            // and a voice loaded on the ONNX stream is its initial state, kept by Reset, dropped by ClearVoice
            using var os = onnx.CreateStream();
            var voice = os.GetFeature<IVoiceConditioning>()!;
            voice.LoadVoice(Path.Combine(dir, "onnx.safetensors"));
            var start = os.Snapshot().ToFloat32();
            Assert.Equal(Loaded("onnx"), start);
            os.GetFeature<ITextConditioning>()!.SetText("x");
            os.Step(golden.Input.Row(0), new float[onnx.OutputSize]);
            os.Reset();
            Assert.Equal(start, os.Snapshot().ToFloat32());
            voice.ClearVoice();
            Assert.All(os.Snapshot().ToFloat32(), v => Assert.Equal(0f, v));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Steps_need_a_text_and_valid_ids_as_on_the_cpu()
    {
        using var onnx = EdgeModel.Load(Repo.Full(Lina), new EdgeModelOptions { Backend = TestBackends.Onnx() });
        using var s = onnx.CreateStream();
        var output = new float[onnx.OutputSize];
        var e = Assert.Throws<EdgeException>(() => s.Step([1f], output));
        Assert.Equal(EdgeErrorCode.TextRequired, e.Code);
        Assert.Contains("no text set", e.Message);
        var text = s.GetFeature<ITextConditioning>()!;
        text.SetText("Hello.");
        int length = text.TextLength;
        Assert.Equal(EdgeErrorCode.InvalidInput, Assert.Throws<EdgeException>(() => text.SetTextIds([1, 9999, 2])).Code);
        Assert.Equal(length, text.TextLength);   // a refused text leaves the previous one in place, as on the CPU
        Assert.Equal(EdgeErrorCode.InvalidInput, Assert.Throws<EdgeException>(() => s.Step([1.5f], output)).Code);
        Assert.Equal(EdgeErrorCode.InvalidInput, Assert.Throws<EdgeException>(() => s.Step([67f], output)).Code);
        s.Step([66f], output);
    }

    [Fact]
    public void The_step_benchmark_feeds_ids_and_allocates_nothing_per_step()
    {
        if (TestBackends.Provider != Providers.ExecutionProvider.Cpu) return;   // device providers rebind the frame each step (see README)
        using var model = EdgeModel.Load(Repo.Full(Lina), new EdgeModelOptions { Backend = TestBackends.Onnx() });
        Assert.Equal(67, model.StepModel.InputVocabulary);
        var r = StepBenchmark.Run(model, steps: 500, warmup: 50);
        Assert.Equal(0, r.AllocBytesPerStep);
        Assert.Equal("onnx:cpu", r.Backend);
    }
}
