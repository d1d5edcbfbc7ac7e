using Edge.Families.Gla;
using Edge.Formats.Safetensors;
using Edge.Packages;

namespace Edge.Runtime.Tests.Gla;

/// <summary>One GLA layer on its own against tests/fixtures/gla/gla_layer_parallel.safetensors (the parallel form, float64).</summary>
public class GlaLayerTests
{
    private static readonly GlaLayerShape Shape = new(32, 2, 32, 64, 8, true, 4, 16f, 1e-5f);

    [Theory]
    [InlineData("", "Y", "final.")]
    [InlineData("init.", "Y_init", "final_init.")]
    public void Recurrent_steps_reproduce_the_parallel_form_outputs_and_final_state(string initial, string outputs, string final)
    {
        string path = RepoPaths.Fixtures("gla", "gla_layer_parallel.safetensors");
        using var file = SafetensorsFile.Open(path);
        Assert.Equal("32", file.Metadata["hidden_size"]);
        var weights = new ModelWeights(SafetensorsFile.Open(path));
        var layer = GlaLayerWeights.Load(weights, "", Shape);
        var state = new float[Shape.StateLength];
        string[] names = ["conv_q", "conv_k", "conv_v", "S"];
        if (initial.Length > 0)
        {
            int at = 0;
            foreach (var n in names)
            {
                var t = Read(file, initial + n);
                t.CopyTo(state, at);
                at += t.Length;
            }
        }
        var x = Read(file, "X");
        var y = Read(file, outputs);
        var scratch = new GlaScratch(Shape);
        var residual = new float[32];
        double worst = 0;
        for (int t = 0; t < 60; t++)
        {
            Array.Clear(residual);
            GlaLayer.Step(layer, x.AsSpan(t * 32, 32), state, scratch, residual);
            for (int i = 0; i < 32; i++) worst = Math.Max(worst, Math.Abs(residual[i] - y[t * 32 + i]));
        }
        Assert.True(worst < 1e-4, $"max abs output error {worst:E2}");
        int offset = 0;
        foreach (var n in names)
        {
            var want = Read(file, final + n);
            for (int i = 0; i < want.Length; i++) Assert.True(Math.Abs(state[offset + i] - want[i]) < 1e-4, $"{n}[{i}]: {state[offset + i]} vs {want[i]}");
            offset += want.Length;
        }
    }

    private static float[] Read(SafetensorsFile f, string name)
    {
        Assert.True(f.TryGet(name, out var info), name);
        return f.ReadFloat32(info);
    }
}

public class GlaTensorNamesTests
{
    [Fact]
    public void The_documented_tensor_list_builds_a_model_that_uses_every_tensor()
    {
        var c = Edge.Diagnostics.GlaReleaseBenchmark.ReleaseConfig with
        {
            DModel = 32, DBlind = 8, NCodebook = 20, EncoderLayers = 2, DecoderLayers = 1, TextLayers = 1, TextVocab = 40,
        };
        using var model = Edge.Diagnostics.GlaReleaseBenchmark.Build(c, seed: 2);
        long tensors = Edge.Families.Gla.GlaTensorNames.For(c).Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b));
        Assert.Equal(tensors, model.ParameterCount);
        Assert.True(model.StepWeightFloats < model.ParameterCount);
    }
}
