using System.Globalization;
using Edge.Diagnostics;
using Edge.Formats.Npy;
using Edge.Streams;

namespace Edge.Cli.Demo;

/// <summary>
/// The predictive-maintenance demo: the gru-attention model trained on a real ECG recording streams
/// the held-out tail, is checked against the PyTorch reference's golden run, carries its state through
/// a file, and reports its forecast error next to the naive forecast and its speed.
/// </summary>
internal static class EcgDemo
{
    public static bool Run(TextWriter o)
    {
        var c = CultureInfo.InvariantCulture;
        string dir = DemoModels.Extract("gru-attention-ecg");
        using var model = EdgeModel.Load(dir);
        o.WriteLine($"gru-attention-ecg: next-sample ECG predictor (MIT-BIH record 208), {model.State.Bytes} bytes of state");

        var input = NpyFile.Read(Path.Combine(dir, "golden", "input.npy"));
        var golden = NpyFile.Read(Path.Combine(dir, "golden", "output.npy"));
        int steps = input.Rows, width = model.OutputSize;
        using var stream = model.CreateStream();
        var output = DemoChecks.Replay(stream, input);
        double maxErr = DemoChecks.MaxAbs(output, golden.Data);
        bool goldenOk = maxErr <= 1e-5;
        o.WriteLine(string.Create(c, $"  golden check   {steps} steps vs the PyTorch reference: max abs error {maxErr:E1} {DemoChecks.Verdict(goldenOk)}"));

        // Same stream in two halves with the state saved to a file and loaded into a new stream.
        string stateFile = Path.Combine(Path.GetTempPath(), $"edge-demo-{Environment.ProcessId}.safetensors");
        var chunked = new float[steps * width];
        int half = steps / 2;
        using (var first = model.CreateStream())
        {
            for (int t = 0; t < half; t++) first.Step(input.Row(t), chunked.AsSpan(t * width, width));
            first.SaveState(stateFile);
        }
        using (var second = model.CreateStream())
        {
            second.LoadState(stateFile);
            for (int t = half; t < steps; t++) second.Step(input.Row(t), chunked.AsSpan(t * width, width));
        }
        File.Delete(stateFile);
        bool chunkOk = chunked.AsSpan().SequenceEqual(output);
        o.WriteLine($"  state file     two halves through a state file equal one run: {DemoChecks.Verdict(chunkOk)}");

        // Forecast error: the output at step t predicts the input at t + 1.
        double model1 = 0, naive = 0;
        for (int t = 0; t + 1 < steps; t++)
        {
            float next = input.Row(t + 1)[0];
            model1 += Math.Abs(output[t * width] - next);
            naive += Math.Abs(input.Row(t)[0] - next);
        }
        model1 /= steps - 1;
        naive /= steps - 1;
        o.WriteLine(string.Create(c, $"  forecast       held-out tail MAE {model1:F4} mV vs naive last-value {naive:F4} mV ({naive / model1:F2}x better)"));

        var bench = StepBenchmark.Run(model, 100_000);
        o.WriteLine(string.Create(c, $"  speed          {bench.UsPerStepP50:F2} µs/step p50, {bench.UsPerStepP99:F2} p99, {bench.StepsPerSecond:N0} steps/s, {bench.AllocBytesPerStep:F0} bytes allocated per step"));
        return goldenOk && chunkOk;
    }
}
