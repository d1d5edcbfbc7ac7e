using System.Text.Json.Nodes;
using Edge.Speech.Codecs;
using Edge.TestSupport;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;

namespace Edge.Speech.Tests.Codecs;

/// <summary>
/// The onnx codec kind on a small random WavTokenizer-shaped graph (tests/fixtures/speech/onnx-codec/make_graph.py):
/// streaming by windows against the graph run whole, the push schedule, and graphs with the wrong interface.
/// </summary>
public sealed class OnnxCodecTests(ITestOutputHelper output)
{
    private static string Fixture => RepoPaths.Fixtures("speech", "onnx-codec");

    private static int[] RandomCodes(int frames, int nq, int k, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, frames * nq).Select(_ => rng.Next(k)).ToArray();
    }

    /// <summary>The graph run once over the whole utterance: the reference the streaming decode must equal.</summary>
    private static float[] Whole(int[] codes, int nq, int frames)
    {
        using var session = new InferenceSession(Path.Combine(Fixture, "decoder.onnx"));
        var input = new long[nq * frames];
        for (int t = 0; t < frames; t++)
            for (int q = 0; q < nq; q++) input[q * frames + t] = codes[t * nq + q];
        using var value = OrtValue.CreateTensorValueFromMemory(input, [1, nq, frames]);
        using var results = session.Run(new RunOptions(), ["codes"], [value], ["audio"]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    [Theory]
    [InlineData(57)]   // blocks, then a partial one at Finish
    [InlineData(12)]   // one block, then Finish
    [InlineData(5)]    // shorter than a block and its look-ahead: all at Finish
    [InlineData(1)]
    public void Streaming_equals_the_graph_run_whole_when_context_covers_its_receptive_field(int frames)
    {
        var codec = SpeechCodecs.LoadFolder(Fixture);
        Assert.Equal(("onnx", 24000, 320, 2, 64), (codec.Kind, codec.SampleRate, codec.SamplesPerFrame, codec.Quantizers, codec.CodebookSize));
        int nq = codec.Quantizers;
        int[] codes = RandomCodes(frames, nq, codec.CodebookSize, frames);
        float[] whole = Whole(codes, nq, frames);
        using var decoder = codec.CreateDecoder();
        float[] streamed = MelVqGolden.Decode(decoder, codes, nq);
        Assert.Equal(whole.Length, streamed.Length);
        double worst = 0, peak = 0;
        for (int i = 0; i < whole.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(whole[i] - streamed[i]));
            peak = Math.Max(peak, Math.Abs(whole[i]));
        }
        output.WriteLine($"{frames} frames: max |streamed - whole| {worst:E2}, peak {peak:F3}");
        Assert.True(peak > 0.1, "the random graph should make sound");
        Assert.True(worst < 1e-5, $"streamed audio differs from the whole-graph run by {worst:E2}");
    }

    [Fact]
    public void Pushes_write_whole_blocks_after_the_lookahead()
    {
        var codec = SpeechCodecs.LoadFolder(Fixture);
        using var decoder = codec.CreateDecoder();
        var buffer = new float[Math.Max(decoder.MaxSamplesPerPush, decoder.MaxFinishSamples)];
        int[] codes = RandomCodes(30, 2, 64, 1);
        var counts = new List<int>();
        for (int t = 0; t < 30; t++) counts.Add(decoder.Push(codes.AsSpan(t * 2, 2), buffer));
        // block 4, look-ahead 8: block k is written when frame 4k + 11 arrives.
        int[] expected = Enumerable.Range(0, 30).Select(t => t >= 11 && (t - 11) % 4 == 0 ? 4 * 320 : 0).ToArray();
        Assert.Equal(expected, counts);
        Assert.Equal(4 - 1 + 8, codec.LookaheadFrames);
        int rest = decoder.Finish(buffer);
        Assert.Equal(30 * 320, counts.Sum() + rest);
        Assert.InRange(rest, 0, decoder.MaxFinishSamples);
        Assert.Null(codec.CreateEncoder());
    }

    [Fact]
    public void Reset_and_Finish_start_a_fresh_utterance()
    {
        var codec = SpeechCodecs.LoadFolder(Fixture);
        int[] codes = RandomCodes(23, 2, 64, 4);
        using var fresh = codec.CreateDecoder();
        float[] expected = MelVqGolden.Decode(fresh, codes, 2);
        using var reused = codec.CreateDecoder();
        var buffer = new float[reused.MaxFinishSamples];
        int[] other = RandomCodes(19, 2, 64, 5);
        for (int t = 0; t < 19; t++) reused.Push(other.AsSpan(t * 2, 2), buffer);
        reused.Reset();
        Assert.Equal(expected, MelVqGolden.Decode(reused, codes, 2));
        Assert.Equal(expected, MelVqGolden.Decode(reused, codes, 2));
    }

    [Fact]
    public void Steady_state_decoding_allocates_nothing_in_managed_code()
    {
        var codec = SpeechCodecs.LoadFolder(Fixture);
        using var decoder = codec.CreateDecoder();
        var buffer = new float[Math.Max(decoder.MaxSamplesPerPush, decoder.MaxFinishSamples)];
        int[] codes = RandomCodes(400, 2, 64, 2);
        for (int t = 0; t < 100; t++) decoder.Push(codes.AsSpan(t * 2, 2), buffer);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 100; t < 400; t++) decoder.Push(codes.AsSpan(t * 2, 2), buffer);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"300 frames (75 graph runs): {allocated} bytes allocated");
        Assert.Equal(0, allocated);
    }

    private static TempFolder Copy(Action<JsonObject> edit, string graph = "decoder.onnx")
    {
        var folder = new TempFolder();
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(Fixture, "codec.json")))!.AsObject();
        json["graph"] = graph;
        edit(json);
        File.WriteAllText(folder.File("codec.json"), json.ToJsonString());
        File.Copy(Path.Combine(Fixture, graph), folder.File(graph));
        return folder;
    }

    public static TheoryData<string, string[]> Wrong => new()
    {
        { "input name", ["decoder.onnx", "inputs are codes", "'tokens'"] },
        { "n_quant", ["decoder.onnx", "[1, 3, T]", "T symbolic"] },
        { "dtype", ["int32-codes.onnx", "Int32", "must be int64"] },
        { "fixed length", ["fixed-length.onnx", "[1, 2, 50]", "T symbolic"] },
        { "output name", ["decoder.onnx", "outputs are audio", "'output'"] },
        { "crossfade", ["codec.json", "'crossfade' is 5000"] },
        { "unknown key", ["codec.json", "unknown key 'lookahaed'"] },
    };

    [Theory]
    [MemberData(nameof(Wrong))]
    public void A_graph_with_the_wrong_interface_is_one_line_naming_it(string mutation, string[] expected)
    {
        using var folder = mutation switch
        {
            "input name" => Copy(j => j["input"] = "tokens"),
            "n_quant" => Copy(j => j["n_quant"] = 3),
            "dtype" => Copy(_ => { }, "int32-codes.onnx"),
            "fixed length" => Copy(_ => { }, "fixed-length.onnx"),
            "output name" => Copy(j => j["output"] = "wave"),
            "crossfade" => Copy(j => j["crossfade"] = 5000),
            "unknown key" => Copy(j => j["lookahaed"] = 2),
            _ => throw new ArgumentException(mutation),
        };
        var e = Assert.Throws<EdgeException>(() => SpeechCodecs.LoadFolder(folder.Path));
        Assert.Equal(EdgeErrorCode.InvalidPackage, e.Code);
        Assert.DoesNotContain('\n', e.Message);
        foreach (string part in expected) Assert.Contains(part, e.Message);
    }
}
