using System.Text.Json.Nodes;
using Edge.Audio.Framing;
using Edge.Audio.Wav;
using Edge.Onnx.Import;
using Edge.Streams;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Onnx.Tests;

/// <summary>
/// <c>edge import</c>'s library side: a stateful graph no one here wrote (Silero VAD v5, models/silero-vad) and
/// the lstm-stateful test graph become packages with no hand-written JSON, and run as their hand-written
/// packages do.
/// </summary>
public sealed class ImportTests : IDisposable
{
    private static string Silero => RepoPaths.Models("silero-vad");

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "edge-import-tests", Guid.NewGuid().ToString("N"));

    public ImportTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly OnnxImportOptions SileroOptions = new()
    {
        Constants = new Dictionary<string, double> { ["sr"] = 16000 },
        InputShape = [1, 576],
    };

    [Fact]
    public void Silero_vad_imports_with_its_state_found_by_name_and_matches_the_committed_package()
    {
        var r = OnnxImporter.Import(Path.Combine(Silero, "model.onnx"), Path.Combine(_folder, "vad"), SileroOptions);
        Assert.Equal("input", r.Plan.Input);
        Assert.Equal("output", r.Plan.Output);
        Assert.Equal([("state", "stateN")], r.Plan.State);
        Assert.Equal(["by name"], r.Plan.HowPaired);
        Assert.Equal(576, r.InputSize);
        Assert.Equal(1, r.OutputSize);
        Assert.Equal(2 * 128 * 4, r.StateBytes);
        // No weights file: the graph carries them, and the identity covers the graph.
        Assert.Equal(["model.json", "model.onnx"], Directory.GetFiles(r.Package).Select(Path.GetFileName).Order());
        var made = JsonNode.Parse(File.ReadAllText(Path.Combine(r.Package, "model.json")))!;
        var committed = JsonNode.Parse(File.ReadAllText(Path.Combine(Silero, "model.json")))!;
        Assert.True(JsonNode.DeepEquals(committed["config"], made["config"]), made["config"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(committed["sha256"], made["sha256"]));
        Assert.Empty(Directory.GetDirectories(_folder, ".*"));   // the work folder is gone
    }

    [Fact]
    public void Silero_vad_through_an_edge_stream_equals_onnx_runtime_run_on_speech_to_1e_5()
    {
        var clip = WavReader.ReadMono(Path.Combine(Silero, "testdata", "speech.wav"));
        Assert.Equal(16000, clip.SampleRate);
        var frames = ChunkFramer.FrameAll(clip.Samples, 16000, chunkSize: 512, contextSize: 64);
        int n = frames.Length / 576;

        using var model = EdgeModel.Load(Silero, new EdgeModelOptions { Backend = TestBackends.Onnx() });
        var ours = new float[n];
        using (var stream = model.CreateStream())
            for (int t = 0; t < n; t++) stream.Step(frames.AsSpan(t * 576, 576), ours.AsSpan(t, 1));

        using var session = new InferenceSession(Path.Combine(Silero, "model.onnx"));
        using var run = new RunOptions();
        var state = new float[2 * 1 * 128];
        var theirs = new float[n];
        for (int t = 0; t < n; t++)
        {
            using var x = OrtValue.CreateTensorValueFromMemory(frames.AsSpan(t * 576, 576).ToArray(), [1, 576]);
            using var s = OrtValue.CreateTensorValueFromMemory(state, [2, 1, 128]);
            using var sr = OrtValue.CreateTensorValueFromMemory(new long[] { 16000 }, []);
            using var results = session.Run(run, ["input", "state", "sr"], [x, s, sr], ["output", "stateN"]);
            theirs[t] = results[0].GetTensorDataAsSpan<float>()[0];
            state = results[1].GetTensorDataAsSpan<float>().ToArray();
        }
        double worst = ours.Zip(theirs).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(worst <= 1e-5, $"largest difference {worst}");

        // And it hears the speech: the clip is 2 s of silence, the sentence, 2 s of silence (31.25 frames a second).
        // Measured: at most 0.015 before it, 0.026 after it, 91 % of the sentence's frames above 0.5.
        double before = ours.Take(55).Max(), after = ours.TakeLast(50).Max();
        double speech = ours.Skip(75).Take(n - 75 - 70).Count(p => p > 0.5) / (double)(n - 75 - 70);
        Assert.True(before < 0.05 && after < 0.05, $"speech probability up to {before} in the leading silence, {after} in the trailing one");
        Assert.True(speech > 0.8, $"only {speech:P0} of the speech frames above 0.5");
    }

    [Fact]
    public void The_lstm_test_graph_imports_to_a_package_that_runs_as_its_hand_written_one()
    {
        var r = OnnxImporter.Import(Path.Combine(Repo.LstmStateful, "model.onnx"), Path.Combine(_folder, "lstm"),
            new OnnxImportOptions { Constants = new Dictionary<string, double> { ["sr"] = 16000 } });
        Assert.Equal([("h0", "hn"), ("c0", "cn")], r.Plan.State);
        Assert.Null(r.Plan.InputShape);   // only the batch was open
        var golden = Golden.Load(Path.Combine("models", "lstm-stateful"));
        using var imported = EdgeModel.Load(r.Package, new EdgeModelOptions { Backend = TestBackends.Onnx() });
        using var written = EdgeModel.Load(Repo.LstmStateful, new EdgeModelOptions { Backend = TestBackends.Onnx() });
        Assert.Equal(golden.Run(written), golden.Run(imported));
    }

    [Fact]
    public void What_the_graph_cannot_say_is_asked_for_by_option_and_nothing_is_left_behind()
    {
        string onnx = Path.Combine(Silero, "model.onnx");
        var e = Assert.Throws<EdgeException>(() => OnnxImporter.Import(onnx, Path.Combine(_folder, "a"), new OnnxImportOptions { InputShape = [1, 576] }));
        Assert.Contains("--const sr=", e.Message);
        e = Assert.Throws<EdgeException>(() => OnnxImporter.Import(onnx, Path.Combine(_folder, "a"), SileroOptions with { InputShape = null }));
        Assert.Contains("--input-shape 1,N", e.Message);
        e = Assert.Throws<EdgeException>(() => OnnxImporter.Import(onnx, Path.Combine(_folder, "a"), SileroOptions with { InputShape = [1, 2, 3] }));
        Assert.Contains("does not fit", e.Message);
        e = Assert.Throws<EdgeException>(() => OnnxImporter.Import(onnx, Path.Combine(_folder, "a"), SileroOptions with { State = [("state", "output")] }));
        Assert.Contains("cannot be the same tensor", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_folder));

        Directory.CreateDirectory(Path.Combine(_folder, "taken"));
        File.WriteAllText(Path.Combine(_folder, "taken", "x"), "");
        e = Assert.Throws<EdgeException>(() => OnnxImporter.Import(onnx, Path.Combine(_folder, "taken"), SileroOptions));
        Assert.Contains("already exists", e.Message);
        e = Assert.Throws<EdgeException>(() => OnnxImporter.Import(Path.Combine(_folder, "missing.onnx"), Path.Combine(_folder, "b"), SileroOptions));
        Assert.Equal(EdgeErrorCode.FileNotFound, e.Code);
    }

    [Fact]
    public void A_cpu_family_without_its_weights_file_says_so()
    {
        using var copy = new TempPackage(Repo.Full(Repo.GruW0), json => json.Remove("weights"));
        File.Delete(Path.Combine(copy.Path, "weights.safetensors"));
        var sums = JsonNode.Parse(File.ReadAllText(Path.Combine(copy.Path, "model.json")))!.AsObject();
        if (sums["sha256"] is JsonObject s && s.Remove("weights.safetensors")) File.WriteAllText(Path.Combine(copy.Path, "model.json"), sums.ToJsonString());
        var e = Assert.Throws<EdgeException>(() => EdgeModel.Load(copy.Path));
        Assert.Equal(EdgeErrorCode.InvalidPackage, e.Code);
        Assert.Contains("has no weights file", e.Message);
    }
}
