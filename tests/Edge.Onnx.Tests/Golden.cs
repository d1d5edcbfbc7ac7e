using Edge.Formats.Npy;
using Edge.Runtime.Tests.Support;
using Edge.Streams;

namespace Edge.Onnx.Tests;

/// <summary>A committed golden run (models/README.md): input [T,F], output [T,O] and the final state.</summary>
internal sealed record Golden(NpyArray Input, NpyArray Output, string? FinalStatePath)
{
    public static Golden Load(string package)
    {
        string dir = Path.Combine(Repo.Full(package), "golden");
        string state = Path.Combine(dir, "final_state.safetensors");
        return new Golden(NpyFile.Read(Path.Combine(dir, "input.npy")), NpyFile.Read(Path.Combine(dir, "output.npy")), File.Exists(state) ? state : null);
    }

    public static bool Exists(string package) => File.Exists(Path.Combine(Repo.Full(package), "golden", "input.npy"));

    /// <summary>Steps a fresh stream over every input row; returns [T*O] outputs.</summary>
    public float[] Run(EdgeModel model, ModelStream? stream = null)
    {
        using var own = stream is null ? model.CreateStream() : null;
        var s = stream ?? own!;
        var output = new float[Input.Rows * model.OutputSize];
        for (int t = 0; t < Input.Rows; t++) s.Step(Input.Row(t), output.AsSpan(t * model.OutputSize, model.OutputSize));
        return output;
    }

    /// <summary>The golden final state in the model's layout order.</summary>
    public float[] FinalState(EdgeModel model) => GoldenRun.ReadState(model, FinalStatePath!);
}
