namespace Edge.Fuzz.Targets;

/// <summary>A state file loaded into a stream of the committed ECG model, which then takes one step.</summary>
public sealed class StateFileTarget : FuzzTarget
{
    private const string ModelPath = "models/gru-attention-ecg";
    private readonly float[] _input = new float[1], _output = new float[1];

    /// <inheritdoc />
    public override string Name => "state";

    /// <inheritdoc />
    public override string Parses => "ModelStream.LoadState (gru-attention-ecg), then one Step";

    /// <inheritdoc />
    public override IEnumerable<FuzzSeed> Seeds(FuzzFixtures fixtures)
    {
        var stream = fixtures.Stream(ModelPath);
        stream.Reset();
        yield return new("fresh", Saved(stream, fixtures));
        _input[0] = 0.4f;
        for (int i = 0; i < 5; i++) stream.Step(_input, _output);
        yield return new("after-5-steps", Saved(stream, fixtures));
    }

    /// <inheritdoc />
    public override void Run(byte[] input, FuzzFixtures fixtures)
    {
        var stream = fixtures.Stream(ModelPath);
        stream.LoadState(fixtures.WriteFile("fuzz-state.safetensors", input));
        _input[0] = 0.1f;
        stream.Step(_input, _output);
    }

    private static byte[] Saved(Edge.Streams.ModelStream stream, FuzzFixtures fixtures)
    {
        string path = Path.Combine(fixtures.Scratch, "seed-state.safetensors");
        stream.SaveState(path);
        return File.ReadAllBytes(path);
    }
}
