using System.Text.Json;
using Edge.Formats.Npy;

namespace Edge.Cli.Tests.Gla;

public sealed class GlaRunCommandTests : IDisposable
{
    private static readonly string Package = Path.Combine(FindRoot(), "models", "lina-reference");
    private readonly string _tmp = Directory.CreateTempSubdirectory("edge-cli-gla-").FullName;

    public void Dispose() => Directory.Delete(_tmp, recursive: true);

    private static (int Code, string Out, string Err) Edge(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = EdgeCommandLine.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private static string Text(string golden) => File.ReadAllText(Path.Combine(Package, golden, "text.txt")).TrimEnd('\n');

    private string Tmp(string name) => Path.Combine(_tmp, name);

    private static double MaxAbs(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs((double)x - y)).Max();

    [Theory]
    [InlineData("golden", null)]
    [InlineData("golden-voice", "voices/demo.safetensors")]
    public void Run_reproduces_golden_logits_serially_and_in_chunks_with_state_files(string golden, string? voice)
    {
        string input = Path.Combine(Package, golden, "input.npy");
        var expected = NpyFile.Read(Path.Combine(Package, golden, "output.npy"));
        string[] voiceArgs = voice is null ? [] : ["--voice", Path.Combine(Package, voice)];

        var serial = Edge(["run", Package, "--input", input, "--output", Tmp("all.npy"), "--text", Text(golden), .. voiceArgs]);
        Assert.True(serial.Code == 0, serial.Err);
        var all = NpyFile.Read(Tmp("all.npy"));
        Assert.Equal(expected.Shape, all.Shape);
        Assert.True(MaxAbs(all.Data, expected.Data) <= 1e-4, $"serial max abs {MaxAbs(all.Data, expected.Data):E2}");

        // Three chunks; the text is given (and re-encoded) on every call, the state travels in files.
        var ids = NpyFile.Read(input);
        int[] bounds = [0, 41, 80, ids.Rows];
        var parts = new List<float>();
        for (int c = 0; c < 3; c++)
        {
            int rows = bounds[c + 1] - bounds[c];
            NpyFile.Write(Tmp($"in{c}.npy"), new NpyArray([rows, 1], ids.Data.AsSpan(bounds[c], rows).ToArray()));
            string[] state = c == 0 ? voiceArgs : ["--state-in", Tmp($"s{c}.safetensors")];
            var r = Edge(["run", Package, "--input", Tmp($"in{c}.npy"), "--output", Tmp($"out{c}.npy"), "--text", Text(golden),
                "--state-out", Tmp($"s{c + 1}.safetensors"), .. state]);
            Assert.True(r.Code == 0, r.Err);
            parts.AddRange(NpyFile.Read(Tmp($"out{c}.npy")).Data);
        }
        Assert.Equal(all.Data, parts.ToArray());
    }

    [Fact]
    public void Voice_out_saves_a_voice_that_starts_the_next_run()
    {
        string input = Path.Combine(Package, "golden", "input.npy");
        var r = Edge("run", Package, "--input", input, "--output", Tmp("o.npy"), "--text", "a reference clip.", "--voice-out", Tmp("voice.safetensors"));
        Assert.True(r.Code == 0, r.Err);
        var again = Edge("run", Package, "--input", input, "--output", Tmp("o2.npy"), "--text", "a new sentence.", "--voice", Tmp("voice.safetensors"));
        Assert.True(again.Code == 0, again.Err);
    }

    [Fact]
    public void Missing_text_and_bad_text_are_one_line_errors_with_exit_2()
    {
        string input = Path.Combine(Package, "golden", "input.npy");
        var noText = Edge("run", Package, "--input", input, "--output", Tmp("o.npy"));
        Assert.Equal(2, noText.Code);
        Assert.Contains("--text", noText.Err);
        Assert.Single(noText.Err.Trim().Split('\n'));

        var digits = Edge("run", Package, "--input", input, "--output", Tmp("o.npy"), "--text", "café");
        Assert.Equal(2, digits.Code);
        Assert.Contains("'é'", digits.Err);
        Assert.Single(digits.Err.Trim().Split('\n'));
    }

    [Fact]
    public void Bench_on_the_decoder_allocates_nothing_per_step()
    {
        var r = Edge("bench", Package, "--steps", "2000", "--warmup", "200", "--json");
        Assert.True(r.Code == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal(0, doc.RootElement.GetProperty("alloc_bytes_per_step").GetDouble());
        Assert.Equal(88_064, doc.RootElement.GetProperty("state_bytes").GetInt64());
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Edge.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Edge.sln not found above the test folder.");
    }
}
