using Edge.Formats.Npy;
using Edge.Packages;
using Edge.Streams;
using Xunit.Abstractions;

namespace Edge.Runtime.Tests.Precision;

/// <summary>
/// Every built-in family at every weight precision, on its committed golden inputs: the outputs stay within the
/// error against fp32 that the family's README states (measured here, about twice the largest seen), the
/// weights really are kept reduced, and a step allocates nothing.
/// </summary>
public sealed class WeightPrecisionTests(ITestOutputHelper log)
{
    // package, golden folder, voice (gla-tts) or null, precision, max abs error against fp32 allowed (output units)
    // Tolerances are the largest error measured on this machine (AVX2), rounded up to about twice it. lina-reference
    // has random weights, whose recurrence amplifies any change (its fp16 error is 100× tts-default's int8 one
    // relative to the logits); its bounds only guard against regressions.
    public static TheoryData<string, string, string?, WeightPrecision, double> Cases() => new()
    {
        { "models/gru-attention-ecg", "golden", null, WeightPrecision.Fp16, 6e-5 },    // measured 2.7e-5 (outputs up to 1.6 mV)
        { "models/gru-attention-ecg", "golden", null, WeightPrecision.Int8, 2e-3 },    // 9.1e-4
        { "models/gru-attention-ecg", "golden", null, WeightPrecision.Q4, 3e-2 },      // 1.3e-2
        { "models/laser-predictor", "golden", null, WeightPrecision.Fp16, 1.5e-5 },    // 5.7e-6 (outputs up to 0.042)
        { "models/laser-predictor", "golden", null, WeightPrecision.Int8, 2e-4 },      // 8.0e-5
        { "models/laser-predictor", "golden", null, WeightPrecision.Q4, 6e-3 },        // 2.7e-3
        { "models/aaren-co2", "golden", null, WeightPrecision.Fp16, 4e-4 },            // 1.7e-4 (outputs up to 0.47)
        { "models/aaren-co2", "golden", null, WeightPrecision.Int8, 5e-3 },            // 2.4e-3
        { "models/aaren-co2", "golden", null, WeightPrecision.Q4, 4e-2 },              // 1.9e-2
        { "models/laser-detector", "golden", null, WeightPrecision.Fp16, 2e-3 },       // 9.5e-4 on the score (0..1); flags all equal
        { "models/laser-detector", "golden", null, WeightPrecision.Int8, 4e-2 },       // 1.6e-2; flags all equal
        { "models/laser-detector", "golden", null, WeightPrecision.Q4, 0.8 },          // 0.41: q4 is too coarse for this small model's score
        { "models/lina-reference", "golden", null, WeightPrecision.Fp16, 0.12 },       // 5.9e-2 (logits up to 8.8)
        { "models/lina-reference", "golden", null, WeightPrecision.Int8, 3.5 },        // 1.64
        { "models/lina-reference", "golden", null, WeightPrecision.Q4, 11 },           // 5.3
        { "models/tts-default", "golden-voice", "voices/default.safetensors", WeightPrecision.Fp16, 5e-5 }, // stored fp16: exact on SIMD paths; 1.7e-5 on the scalar path (fp32 sums row-major, fp16 by panels)
        { "models/tts-default", "golden-voice", "voices/default.safetensors", WeightPrecision.Int8, 0.25 }, // 0.12 (logits up to 28); argmax 49/49
        { "models/tts-default", "golden-voice", "voices/default.safetensors", WeightPrecision.Q4, 6.2 },    // 3.07 (step 3,400; 1.31 at step 1,380)
    };

    [Theory]
    [MemberData(nameof(Cases))]
    [Trait("Category", "Golden")]
    public void Reduced_weights_stay_within_the_stated_error_of_fp32_and_step_without_allocating(
        string package, string golden, string? voice, WeightPrecision precision, double tolerance)
    {
        string dir = Path.Combine(RepoPaths.Root, package);
        using var reference = EdgeModel.Load(dir, new EdgeModelOptions { Precision = WeightPrecision.Fp32 });
        using var reduced = EdgeModel.Load(dir, new EdgeModelOptions { Precision = precision });
        Assert.Equal(WeightPrecision.Fp32, reference.Precision);
        Assert.Equal(precision, reduced.Precision);
        var (want, _) = Replay(reference, dir, golden, voice);
        var (got, allocated) = Replay(reduced, dir, golden, voice);
        // cae's second output is the flag (score > threshold): compared as agreement, the score as a number.
        int width = reference.Family == "cae" ? 1 : reference.OutputSize, rows = want.Length / reference.OutputSize;
        double worst = 0;
        int argmaxAgree = 0, flagsAgree = 0;
        for (int t = 0; t < rows; t++)
        {
            var a = want.AsSpan(t * reference.OutputSize, reference.OutputSize);
            var b = got.AsSpan(t * reference.OutputSize, reference.OutputSize);
            for (int i = 0; i < width; i++) worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
            if (System.Numerics.Tensors.TensorPrimitives.IndexOfMax(a) == System.Numerics.Tensors.TensorPrimitives.IndexOfMax(b)) argmaxAgree++;
            if (a[^1] == b[^1]) flagsAgree++;
        }
        log.WriteLine($"{package} {precision.Name()}: max abs error vs fp32 {worst:E2} over {rows} steps (outputs up to {want.Max(Math.Abs):G3}); argmax agrees on {argmaxAgree}/{rows}; last output equal on {flagsAgree}/{rows}");
        if (reference.InputSize == 1 && reference.OutputSize == 1)
        {
            // A one-step-ahead predictor's task metric: MAE of output t against input t + 1.
            var input = NpyFile.Read(Path.Combine(dir, golden, "input.npy"));
            double Mae(float[] y) => Enumerable.Range(0, rows - 1).Average(t => Math.Abs(y[t] - input.Row(t + 1)[0]));
            log.WriteLine($"{package} next-sample MAE: fp32 {Mae(want):G5}, {precision.Name()} {Mae(got):G5}");
        }
        Assert.True(worst <= tolerance, $"{package} at {precision.Name()}: max abs error {worst:E2} against fp32 > {tolerance:E0}");
        // Stored at this precision: the same bits as the widened weights, on SIMD paths (the scalar path sums fp32 row-major).
        if (reduced.Package.StoredPrecision == precision && System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated) Assert.Equal(0, worst);
        else Assert.True(worst > 0, $"{package} at {precision.Name()} gave fp32's exact outputs: the weights were not reduced");
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void The_fp16_default_voice_keeps_16_bit_weights_unless_asked_otherwise()
    {
        string dir = RepoPaths.Models("tts-default");
        using var stored = EdgeModel.Load(dir);
        Assert.Equal(WeightPrecision.Fp16, stored.Precision);
        using var widened = EdgeModel.Load(dir, new EdgeModelOptions { Precision = WeightPrecision.Fp32 });
        Assert.Equal(WeightPrecision.Fp32, widened.Precision);
        // fp16 kept in 16 bits computes the same bits as the same weights widened to fp32 at load.
        var (a, _) = Replay(stored, dir, "golden-voice", "voices/default.safetensors");
        var (b, _) = Replay(widened, dir, "golden-voice", "voices/default.safetensors");
        if (System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated) Assert.Equal(b, a);
    }

    // Runs the golden input through a fresh stream; returns the outputs and the bytes the steps after the first allocated.
    internal static (float[] Outputs, long Allocated) Replay(EdgeModel model, string dir, string golden, string? voice)
    {
        var input = NpyFile.Read(Path.Combine(dir, golden, "input.npy"));
        using var stream = model.CreateStream();
        if (voice is not null) stream.GetFeature<IVoiceConditioning>()!.LoadVoice(Path.Combine(dir, voice));
        string text = Path.Combine(dir, golden, "text.txt");
        if (File.Exists(text)) stream.GetFeature<ITextConditioning>()!.SetText(File.ReadAllText(text).TrimEnd('\n'));
        var outputs = new float[input.Rows * model.OutputSize];
        stream.Step(input.Row(0), outputs.AsSpan(0, model.OutputSize));
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 1; t < input.Rows; t++) stream.Step(input.Row(t), outputs.AsSpan(t * model.OutputSize, model.OutputSize));
        return (outputs, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
