using Edge.Formats.Npy;
using Edge.Streams;

namespace Edge.Onnx.Tests;

/// <summary>
/// A committed golden run (models/README.md): input [T,F], output [T,O] and the final state; for a
/// text-conditioned family (gla-tts) also the text (golden/text.txt) and, for golden-voice, the voice.
/// </summary>
internal sealed record Golden(NpyArray Input, NpyArray Output, string? FinalStatePath, string? Text = null, string? VoicePath = null)
{
    public static Golden Load(string package, string folder = "golden", string? voice = null)
    {
        string dir = Path.Combine(Repo.Full(package), folder);
        string state = Path.Combine(dir, "final_state.safetensors");
        string text = Path.Combine(dir, "text.txt");
        return new Golden(NpyFile.Read(Path.Combine(dir, "input.npy")), NpyFile.Read(Path.Combine(dir, "output.npy")), File.Exists(state) ? state : null,
            File.Exists(text) ? File.ReadAllText(text).TrimEnd('\n', '\r') : null, voice is null ? null : Path.Combine(Repo.Full(package), voice));
    }

    /// <summary>Sets the golden text on a text-conditioned stream (nothing otherwise); the state is untouched.</summary>
    public void Condition(ModelStream stream)
    {
        if (Text is not null && stream.GetFeature<ITextConditioning>() is { } text) text.SetText(Text);
    }

    /// <summary>Loads the golden voice (resetting the state to it) and sets the text.</summary>
    public void Start(ModelStream stream)
    {
        if (VoicePath is not null) stream.GetFeature<IVoiceConditioning>()!.LoadVoice(VoicePath);
        Condition(stream);
    }

    public static bool Exists(string package) => File.Exists(Path.Combine(Repo.Full(package), "golden", "input.npy"));

    /// <summary>Steps a fresh stream over every input row; returns [T*O] outputs.</summary>
    public float[] Run(EdgeModel model, ModelStream? stream = null)
    {
        using var own = stream is null ? model.CreateStream() : null;
        var s = stream ?? own!;
        if (own is not null) Start(s);
        else Condition(s);
        var output = new float[Input.Rows * model.OutputSize];
        for (int t = 0; t < Input.Rows; t++) s.Step(Input.Row(t), output.AsSpan(t * model.OutputSize, model.OutputSize));
        return output;
    }

    /// <summary>The golden final state in the model's layout order.</summary>
    public float[] FinalState(EdgeModel model) => GoldenRun.ReadState(model, FinalStatePath!);
}
