using Edge.Families.Gla;
using Edge.Streams;

namespace Edge.Runtime.Tests.Gla;

public class SamplingTests
{
    [Fact]
    public void Top_k_draws_only_the_k_best_with_softmax_frequencies_and_is_seeded()
    {
        float[] logits = [0.5f, 2f, -1f, 1.5f, 3f, 0f];
        var sampler = new TopKSampler(6, topK: 3, temperature: 1f, seed: 42);
        var counts = new int[6];
        for (int i = 0; i < 30_000; i++) counts[sampler.Sample(logits)]++;
        Assert.Equal(0, counts[0] + counts[2] + counts[5]);
        double z = Math.Exp(2) + Math.Exp(1.5) + Math.Exp(3);
        Assert.Equal(Math.Exp(3) / z, counts[4] / 30_000.0, 2);
        Assert.Equal(Math.Exp(2) / z, counts[1] / 30_000.0, 2);

        var a = new TopKSampler(6, 3, 0.7f, seed: 5);
        var b = new TopKSampler(6, 3, 0.7f, seed: 5);
        Assert.Equal(Enumerable.Range(0, 50).Select(_ => a.Sample(logits)), Enumerable.Range(0, 50).Select(_ => b.Sample(logits)));
        Assert.Equal(4, new TopKSampler(6, topK: 1).Sample(logits));
        Assert.Equal(4, TopKSampler.ArgMax(logits));
    }

    [Fact]
    public void A_low_temperature_concentrates_on_the_best_token()
    {
        float[] logits = [1f, 1.2f, 0.9f];
        var cold = new TopKSampler(3, topK: 100, temperature: 0.02f, seed: 1);
        Assert.All(Enumerable.Range(0, 200), _ => Assert.Equal(1, cold.Sample(logits)));
    }

    private static ModelStream ReferenceStream(EdgeModel model, string text)
    {
        var s = model.CreateStream();
        s.GetFeature<ITextConditioning>()!.SetText(text);
        return s;
    }

    [Fact]
    public void Greedy_generation_equals_stepping_and_taking_the_arg_max_after_the_prompt()
    {
        using var model = EdgeModel.Load(RepoPaths.Models("lina-reference"));
        using var stream = ReferenceStream(model, "a short test.");
        int[] prompt = [5, 17, 40, 2];
        var gen = new SpeechGenerator(stream, new SpeechGeneratorOptions { Greedy = true, MaxSteps = 30 });
        var codes = gen.Generate(prompt).ToArray();

        using var manual = ReferenceStream(model, "a short test.");
        var logits = new float[model.OutputSize];
        manual.Step([1f], logits);
        foreach (int c in prompt) manual.Step([c + 3f], logits);
        var expected = new List<int>();
        for (int i = 0; i < 30; i++)
        {
            int id = TopKSampler.ArgMax(logits);
            if (id == 2) break;
            expected.Add(Math.Max(0, id - 3));
            manual.Step([id], logits);
        }
        Assert.Equal(expected, codes);
        Assert.Equal(expected.Count < 30, gen.StoppedAtEos);
    }

    [Fact]
    public void Sampling_is_reproducible_bounded_and_allocates_nothing_per_step()
    {
        using var model = EdgeModel.Load(RepoPaths.Models("lina-reference"));
        using var stream = ReferenceStream(model, "the same seed, the same speech.");
        var gen = new SpeechGenerator(stream, new SpeechGeneratorOptions { Seed = 7, MaxSteps = 40 });
        var first = gen.Generate().ToArray();
        Assert.True(first.Length <= 40);
        Assert.All(first, c => Assert.InRange(c, 0, 63));
        var again = new SpeechGenerator(stream, new SpeechGeneratorOptions { Seed = 7, MaxSteps = 40 }).Generate().ToArray();
        Assert.Equal(first, again);

        var longer = new SpeechGenerator(stream, new SpeechGeneratorOptions { Seed = 3, MaxSteps = 200 });
        longer.Generate();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var codes = longer.Generate();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(codes.Length > 0);
    }

    [Fact]
    public void Several_quantizers_are_delayed_and_undelayed()
    {
        using var model = EdgeModel.Load(RepoPaths.Fixtures("gla", "h2-odd-rotary"));   // n_quant 3
        using var stream = ReferenceStream(model, "delayed codes");
        var gen = new SpeechGenerator(stream, new SpeechGeneratorOptions { Greedy = true, MaxSteps = 12 });
        int[] prompt = [1, 2, 3, 4, 5, 6];   // two frames of three quantizers
        var codes = gen.Generate(prompt).ToArray();
        Assert.Equal(0, codes.Length % 3);

        // Replay the delayed grid by hand: column t holds frame t − i − 1 of quantizer i (BOS before it).
        using var manual = ReferenceStream(model, "delayed codes");
        var logits = new float[model.OutputSize];
        int L = 11;
        var grid = new List<int[]> { new[] { 1, 1, 1 } };
        for (int col = 1; col <= 12 + 2; col++)
        {
            manual.Step(grid[^1].Select(v => (float)v).ToArray(), logits);
            var next = new int[3];
            for (int i = 0; i < 3; i++)
            {
                int frame = col - i - 1;
                next[i] = frame < 0 ? 1 : frame < 2 ? prompt[frame * 3 + i] + 3 : TopKSampler.ArgMax(logits.AsSpan(i * L, L));
            }
            grid.Add(next);
            if (next.All(v => v == 2)) break;
        }
        for (int f = 0; f < codes.Length / 3; f++)
            for (int i = 0; i < 3; i++)
                Assert.Equal(Math.Max(0, grid[2 + f + i + 1][i] - 3), codes[f * 3 + i]);
    }

    [Theory]
    [InlineData("lina-reference", 0)]
    [InlineData("h2-odd-rotary", 2)]
    public void Step_wise_frames_equal_the_whole_generation_and_reseeding_repeats_it(string package, int promptFrames)
    {
        string path = package == "lina-reference" ? RepoPaths.Models(package) : RepoPaths.Fixtures("gla", package);
        using var model = EdgeModel.Load(path);
        using var stream = ReferenceStream(model, "frames one by one.");
        var options = new SpeechGeneratorOptions { Seed = 11, MaxSteps = 25, TopK = 5 };
        var gen = new SpeechGenerator(stream, options);
        int q = gen.Quantizers;
        int[] prompt = [.. Enumerable.Range(0, promptFrames * q).Select(i => (i * 5) % 8)];
        var whole = gen.Generate(prompt).ToArray();

        var stepwise = new SpeechGenerator(stream, options);
        stepwise.Begin(prompt);
        var frames = new List<int>();
        var frame = new int[q];
        while (stepwise.Next(frame)) frames.AddRange(frame);
        Assert.Equal(whole, frames);
        Assert.Equal(gen.StoppedAtEos, stepwise.StoppedAtEos);

        stepwise.Reseed(11);
        Assert.Equal(whole, stepwise.Generate(prompt).ToArray());
        stepwise.Reseed(11);
        stepwise.Begin(prompt, maxSteps: 4);
        int n = 0;
        while (stepwise.Next(frame)) n++;
        Assert.True(n <= 4, $"{n} frames past a 4-step limit");
        Assert.Equal(whole.Take(n * q), frames.Take(n * q));
    }
}
