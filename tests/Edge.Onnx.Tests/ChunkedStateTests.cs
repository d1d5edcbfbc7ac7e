using System.Runtime.InteropServices;
using System.Text.Json;
using Edge.Streams;

namespace Edge.Onnx.Tests;

/// <summary>
/// The state-file promise, for every committed package with a golden run, on every backend that runs it: a run
/// cut in three chunks, each a fresh stream resumed from the previous chunk's state file, gives bit-for-bit the
/// outputs and final state of one uninterrupted stream.
/// </summary>
public sealed class ChunkedStateTests
{
    public static TheoryData<string, string> PackagesAndBackends()
    {
        var data = new TheoryData<string, string>();
        var fixtures = Directory.GetDirectories(Path.Combine(Repo.Root, "tests", "fixtures")).SelectMany(Directory.GetDirectories);
        foreach (var dir in Directory.GetDirectories(Path.Combine(Repo.Root, "models")).Concat(fixtures).Order(StringComparer.Ordinal))
        {
            string package = Path.GetRelativePath(Repo.Root, dir);
            if (!File.Exists(Path.Combine(dir, "model.json")) || !Golden.Exists(package)) continue;
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "model.json")));
            bool stateful = doc.RootElement.GetProperty("family").GetString() == "onnx-stateful";
            if (!stateful) data.Add(package, "cpu");
            if (doc.RootElement.TryGetProperty("onnx", out _)) data.Add(package, "onnx");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PackagesAndBackends))]
    public void Chunks_through_state_files_equal_one_run_bit_for_bit(string package, string backend)
    {
        var options = backend == "onnx" ? new EdgeModelOptions { Backend = TestBackends.Onnx() } : null;
        using var model = EdgeModel.Load(Repo.Full(package), options);
        var golden = Golden.Load(package);
        int steps = golden.Input.Rows, width = model.OutputSize;

        var serial = new float[steps * width];
        byte[] serialState;
        using (var stream = model.CreateStream())
        {
            golden.Start(stream);
            for (int t = 0; t < steps; t++) stream.Step(golden.Input.Row(t), serial.AsSpan(t * width, width));
            serialState = stream.Snapshot().Bytes;
        }

        using var tmp = new TempFolder();
        string file = tmp.File("chunk.state");
        int[] cuts = [0, steps / 3, 2 * steps / 3, steps];
        var chunked = new float[steps * width];
        byte[] chunkedState = [];
        for (int i = 0; i + 1 < cuts.Length; i++)
        {
            using var stream = model.CreateStream();
            if (i > 0) stream.LoadState(file);
            golden.Condition(stream);   // a text is per utterance, not part of the state: set it again after a load
            for (int t = cuts[i]; t < cuts[i + 1]; t++) stream.Step(golden.Input.Row(t), chunked.AsSpan(t * width, width));
            stream.SaveState(file);
            chunkedState = stream.Snapshot().Bytes;
        }

        Assert.True(MemoryMarshal.AsBytes(serial.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(chunked.AsSpan())),
            $"{package} on {backend}: chunked outputs differ from one run");
        Assert.Equal(serialState, chunkedState);
    }
}
