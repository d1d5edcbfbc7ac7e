using System.Text;
using System.Text.Json.Nodes;
using Edge.Streams;

namespace Edge.Fuzz.Targets;

/// <summary>A package's <c>model.json</c> beside the committed ECG model's weights: loaded, then one step.</summary>
public sealed class ModelJsonTarget : FuzzTarget
{
    private const string ModelPath = "models/gru-attention-ecg";
    private readonly float[] _io = new float[64];

    /// <inheritdoc />
    public override string Name => "model-json";

    /// <inheritdoc />
    public override string Parses => "EdgeModel.Load of a folder (model.json fuzzed, gru-attention-ecg's weights), one Step";

    /// <inheritdoc />
    public override IEnumerable<FuzzSeed> Seeds(FuzzFixtures fixtures)
    {
        byte[] real = File.ReadAllBytes(fixtures.Repo(ModelPath, "model.json"));
        yield return new("gru-attention-ecg", real);
        // The same package without the parts a hand-written model.json may leave out.
        var node = JsonNode.Parse(real)!.AsObject();
        node.Remove("provenance");
        node.Remove("onnx");
        node.Remove("sha256");
        yield return new("minimal", Encoding.UTF8.GetBytes(node.ToJsonString()));
    }

    /// <inheritdoc />
    public override void Run(byte[] input, FuzzFixtures fixtures)
    {
        string folder = fixtures.Folder("model-json", $"{ModelPath}/weights.safetensors", $"{ModelPath}/step.onnx");
        File.WriteAllBytes(Path.Combine(folder, "model.json"), input);
        using var model = EdgeModel.Load(folder);
        using var stream = model.CreateStream();
        if (model.InputSize <= _io.Length && model.OutputSize <= _io.Length)
            stream.Step(_io.AsSpan(0, model.InputSize), _io.AsSpan(0, model.OutputSize));
    }
}
