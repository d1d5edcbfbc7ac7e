using Edge.Formats.Npy;
using Edge.Streams;

namespace Edge.Cli.Demo;

/// <summary>What the demo sections share: replaying a golden input and measuring the largest difference.</summary>
internal static class DemoChecks
{
    /// <summary>Steps <paramref name="stream"/> over every row of <paramref name="input"/>; returns [T·O] outputs.</summary>
    public static float[] Replay(ModelStream stream, NpyArray input)
    {
        int width = stream.Model.OutputSize;
        var output = new float[input.Rows * width];
        for (int t = 0; t < input.Rows; t++) stream.Step(input.Row(t), output.AsSpan(t * width, width));
        return output;
    }

    public static double MaxAbs(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double m = 0;
        for (int i = 0; i < a.Length; i++) m = Math.Max(m, Math.Abs(a[i] - b[i]));
        return m;
    }

    public static string Verdict(bool ok) => ok ? "ok" : "FAILED";
}
