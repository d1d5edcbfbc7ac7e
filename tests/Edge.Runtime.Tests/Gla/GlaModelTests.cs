using Edge.Formats.Safetensors;
using Edge.Streams;
using Xunit.Abstractions;

namespace Edge.Runtime.Tests.Gla;

public class GlaModelTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Specs() =>
    [
        // seed, variant
        [1, "conv"],
        [2, "noconv-sinusoidal-2quant"],
        [3, "4heads-expand-0.5-odd-widths"],
    ];

    internal static GlaSpec SpecFor(int seed, string variant) => GlaSpec.Random(seed, s =>
    {
        switch (variant)
        {
            case "noconv-sinusoidal-2quant":
                (s.UseShortConv, s.Sinusoidal, s.NQuant, s.Heads, s.DecoderLayers, s.TextHeads) = (false, true, 2, 1, 2, 1);
                break;
            case "4heads-expand-0.5-odd-widths":
                (s.D, s.Heads, s.ExpandK, s.ExpandV, s.DBlind, s.ConvSize, s.GateNormalizer, s.Eps, s.TextHeads, s.EncoderLayers, s.TextLayers) =
                    (40, 4, 0.5f, 1f, 24, 3, 8f, 1e-6f, 2, 2, 2);
                break;
        }
    });

    private static int[] TextIds(GlaSpec s, int seed, int length = 11)
    {
        var rng = new Random(seed);
        return [1, .. Enumerable.Range(0, length - 2).Select(_ => rng.Next(3, s.TextVocab)), 2];
    }

    private static int[][] Ids(GlaSpec s, int seed, int steps)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, steps).Select(t => Enumerable.Range(0, s.NQuant).Select(_ => t == 0 ? 1 : rng.Next(0, s.NCodebook + 3)).ToArray()).ToArray();
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Random_package_matches_independent_recurrent_and_parallel_forms(int seed, string variant)
    {
        var spec = SpecFor(seed, variant);
        using var pkg = spec.Write();
        using var model = EdgeModel.Load(pkg.Folder);
        var text = TextIds(spec, seed);
        var ids = Ids(spec, seed, 40);
        var recurrent = new GlaReference(spec, parallel: false).Run(text, ids);
        var parallel = new GlaReference(spec, parallel: true).Run(text, ids);

        using var stream = model.CreateStream();
        stream.GetFeature<ITextConditioning>()!.SetTextIds(text);
        var logits = new float[model.OutputSize];
        double worstRec = 0, worstPar = 0, refGap = 0;
        for (int t = 0; t < ids.Length; t++)
        {
            stream.Step(ids[t].Select(i => (float)i).ToArray(), logits);
            for (int i = 0; i < logits.Length; i++)
            {
                worstRec = Math.Max(worstRec, Math.Abs(logits[i] - recurrent.Logits[t][i]));
                worstPar = Math.Max(worstPar, Math.Abs(logits[i] - parallel.Logits[t][i]));
                refGap = Math.Max(refGap, Math.Abs(recurrent.Logits[t][i] - parallel.Logits[t][i]));
            }
        }
        output.WriteLine($"{variant}: vs recurrent {worstRec:E2}, vs parallel {worstPar:E2}, reference forms differ by {refGap:E2}");
        Assert.True(refGap < 1e-9, $"the reference's two forms differ by {refGap:E2}");
        Assert.True(worstRec < 1e-4 && worstPar < 1e-4, $"max abs logit error: recurrent {worstRec:E2}, parallel {worstPar:E2}");
        var snap = stream.Snapshot().ToFloat32();
        foreach (var e in model.State.Entries)
        {
            var want = parallel.State[e.Name];
            double scale = Math.Max(1e-3, want.Max(Math.Abs));
            for (int i = 0; i < want.Length; i++)
                Assert.True(Math.Abs(snap[e.Offset + i] - want[i]) <= 1e-4 * scale, $"{e.Name}[{i}]: {snap[e.Offset + i]} vs {want[i]}");
        }
    }

    [Fact]
    public void A_voice_initial_state_matches_the_parallel_form_with_S0()
    {
        var spec = SpecFor(4, "conv");
        using var pkg = spec.Write();
        using var model = EdgeModel.Load(pkg.Folder);
        var rng = new Random(9);
        int H = spec.Heads, Kh = spec.D / H, Vh = 2 * spec.D / H, layers = spec.EncoderLayers + spec.DecoderLayers;
        var s0 = Enumerable.Range(0, layers).Select(_ => Enumerable.Range(0, H * Kh * Vh).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray()).ToArray();
        using var tmp = new TempFolder();
        string voice = tmp.File("full.safetensors");
        SafetensorsWriter.Write(voice, s0.Select((v, i) => new SafetensorsWriter.Entry($"layer{i}", [1, H, Kh, Vh], v)).ToList(), null);

        var initial = new Dictionary<string, double[]>();
        for (int i = 0; i < layers; i++)
            initial[i < spec.EncoderLayers ? $"encoder.{i}.S" : $"decoder.{i - spec.EncoderLayers}.S"] = s0[i].Select(v => (double)v).ToArray();
        var text = TextIds(spec, 4);
        var ids = Ids(spec, 4, 30);
        var expected = new GlaReference(spec, parallel: true).Run(text, ids, initial);

        using var stream = model.CreateStream();
        stream.GetFeature<IVoiceConditioning>()!.LoadVoice(voice);
        stream.GetFeature<ITextConditioning>()!.SetTextIds(text);
        var logits = new float[model.OutputSize];
        double worst = 0;
        for (int t = 0; t < ids.Length; t++)
        {
            stream.Step(ids[t].Select(i => (float)i).ToArray(), logits);
            for (int i = 0; i < logits.Length; i++) worst = Math.Max(worst, Math.Abs(logits[i] - expected.Logits[t][i]));
        }
        Assert.True(worst < 1e-4, $"max abs logit error {worst:E2}");
        stream.Reset();   // the voice stays the initial state
        Assert.Equal(s0[0], stream.Snapshot().ToFloat32().AsSpan(model.State["encoder.0.S"].Offset, s0[0].Length).ToArray());
    }

    [Fact]
    public void State_layout_has_rings_only_with_short_convolutions()
    {
        using (var pkg = SpecFor(1, "conv").Write())
        using (var model = EdgeModel.Load(pkg.Folder))
        {
            Assert.Equal(["encoder.0.conv_q", "encoder.0.conv_k", "encoder.0.conv_v", "encoder.0.S", "decoder.0.conv_q", "decoder.0.conv_k",
                "decoder.0.conv_v", "decoder.0.S", "pos_net.conv_q", "pos_net.conv_k", "pos_net.conv_v", "pos_net.S"], model.State.Entries.Select(e => e.Name));
            Assert.Equal([24, 4], model.State["encoder.0.conv_q"].Shape);
            Assert.Equal([2, 12, 24], model.State["decoder.0.S"].Shape);
            Assert.Equal([2, 6, 12], model.State["pos_net.S"].Shape);
        }
        using (var pkg = SpecFor(2, "noconv-sinusoidal-2quant").Write())
        using (var model = EdgeModel.Load(pkg.Folder))
        {
            Assert.Equal(["encoder.0.S", "decoder.0.S", "decoder.1.S", "pos_net.S"], model.State.Entries.Select(e => e.Name));
            Assert.Equal(2, model.InputSize);
            Assert.Equal(2 * 13, model.OutputSize);
        }
    }

    [Fact]
    public void A_step_allocates_nothing_and_the_state_never_grows()
    {
        var spec = SpecFor(5, "conv");
        using var pkg = spec.Write();
        using var model = EdgeModel.Load(pkg.Folder);
        using var stream = model.CreateStream();
        stream.GetFeature<ITextConditioning>()!.SetTextIds(TextIds(spec, 5, 30));
        long stateBytes = model.State.Bytes;
        var x = new float[1];
        var y = new float[model.OutputSize];
        for (int i = 0; i < 500; i++) { x[0] = 3 + i % 10; stream.Step(x, y); }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5000; i++) { x[0] = 3 + i % 10; stream.Step(x, y); }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(stateBytes, model.State.Bytes);
        Assert.Equal(stateBytes / 4, stream.Snapshot().ToFloat32().Length);
    }

    [Fact]
    public void Chunked_runs_with_state_files_equal_the_serial_run_bit_for_bit()
    {
        var spec = SpecFor(6, "conv");
        using var pkg = spec.Write();
        using var model = EdgeModel.Load(pkg.Folder);
        var text = TextIds(spec, 6);
        var ids = Ids(spec, 6, 45);
        var serial = new float[ids.Length * model.OutputSize];
        using (var s = model.CreateStream())
        {
            s.GetFeature<ITextConditioning>()!.SetTextIds(text);
            for (int t = 0; t < ids.Length; t++) s.Step([ids[t][0]], serial.AsSpan(t * model.OutputSize, model.OutputSize));
        }
        using var tmp = new TempFolder();
        var chunked = new float[serial.Length];
        int[] bounds = [0, 7, 20, 45];
        for (int c = 0; c + 1 < bounds.Length; c++)
        {
            using var s = model.CreateStream();
            if (c > 0) s.LoadState(tmp.File($"s{c}.safetensors"));
            s.GetFeature<ITextConditioning>()!.SetTextIds(text);       // re-encoded each call; the file holds only the recurrent state
            for (int t = bounds[c]; t < bounds[c + 1]; t++) s.Step([ids[t][0]], chunked.AsSpan(t * model.OutputSize, model.OutputSize));
            s.SaveState(tmp.File($"s{c + 1}.safetensors"));
        }
        Assert.Equal(serial, chunked);
    }

    [Fact]
    public void Saved_voice_restores_the_memory_and_is_bound_to_its_model()
    {
        var spec = SpecFor(7, "conv");
        using var pkg = spec.Write();
        using var model = EdgeModel.Load(pkg.Folder);
        using var tmp = new TempFolder();
        using var stream = model.CreateStream();
        stream.GetFeature<ITextConditioning>()!.SetTextIds(TextIds(spec, 7));
        foreach (var row in Ids(spec, 7, 25)) stream.Step([row[0]], new float[model.OutputSize]);
        var after = stream.Snapshot().ToFloat32();
        stream.GetFeature<IVoiceConditioning>()!.SaveVoice(tmp.File("voice.safetensors"));
        long size = new FileInfo(tmp.File("voice.safetensors")).Length;

        using var fresh = model.CreateStream();
        fresh.GetFeature<IVoiceConditioning>()!.LoadVoice(tmp.File("voice.safetensors"));
        var init = fresh.Snapshot().ToFloat32();
        foreach (var e in model.State.Entries)
        {
            var span = init.AsSpan(e.Offset, e.Length);
            if (e.Name.EndsWith(".S", StringComparison.Ordinal) && !e.Name.StartsWith("pos_net", StringComparison.Ordinal))
                Assert.True(span.SequenceEqual(after.AsSpan(e.Offset, e.Length)), e.Name);
            else
                Assert.True(span.IndexOfAnyExcept(0f) < 0, $"{e.Name} should start at zero");
        }

        // A longer clip gives a voice file of the same size.
        foreach (var row in Ids(spec, 8, 200)) stream.Step([row[0]], new float[model.OutputSize]);
        stream.GetFeature<IVoiceConditioning>()!.SaveVoice(tmp.File("voice2.safetensors"));
        Assert.Equal(size, new FileInfo(tmp.File("voice2.safetensors")).Length);

        using var other = SpecFor(8, "conv").Write();
        using var otherModel = EdgeModel.Load(other.Folder);
        using var otherStream = otherModel.CreateStream();
        var e2 = Assert.Throws<EdgeException>(() => otherStream.GetFeature<IVoiceConditioning>()!.LoadVoice(tmp.File("voice.safetensors")));
        Assert.Equal(EdgeErrorCode.StateModelMismatch, e2.Code);
    }

    [Fact]
    public void Mistakes_are_clear_errors()
    {
        var spec = SpecFor(9, "conv");
        using var pkg = spec.Write();
        using var model = EdgeModel.Load(pkg.Folder);
        using var stream = model.CreateStream();
        var y = new float[model.OutputSize];
        Assert.Equal(EdgeErrorCode.TextRequired, Assert.Throws<EdgeException>(() => stream.Step([1f], y)).Code);
        var text = stream.GetFeature<ITextConditioning>()!;
        Assert.Equal(EdgeErrorCode.InvalidInput, Assert.Throws<EdgeException>(() => text.SetTextIds([1, spec.TextVocab, 2])).Code);
        Assert.Equal(EdgeErrorCode.InvalidPackage, Assert.Throws<EdgeException>(() => text.SetText("hello")).Code);   // no tokenizer.json
        text.SetTextIds([1, 5, 2]);
        Assert.Equal(EdgeErrorCode.InvalidInput, Assert.Throws<EdgeException>(() => stream.Step([13f], y)).Code);
        Assert.Equal(EdgeErrorCode.InvalidInput, Assert.Throws<EdgeException>(() => stream.Step([2.5f], y)).Code);

        using var missing = spec.Write(n => n != "attentive_rnn.decoder.0.tmix.k_conv1d.weight");
        var e = Assert.Throws<EdgeException>(() => EdgeModel.Load(missing.Folder));
        Assert.Equal(EdgeErrorCode.MissingTensor, e.Code);
        Assert.Contains("attentive_rnn.decoder.0.tmix.k_conv1d.weight", e.Message);

        var cfg = spec.Config();
        cfg["n_layer"] = 2;
        using var unknown = new TestPackage("gla-tts", cfg, spec.Order.Select(o => new SafetensorsWriter.Entry(o.Name, o.Shape, spec.Tensors[o.Name])).ToList());
        var u = Assert.Throws<EdgeException>(() => EdgeModel.Load(unknown.Folder));
        Assert.Equal(EdgeErrorCode.InvalidConfig, u.Code);
        Assert.Contains("n_layer", u.Message);
    }
}
