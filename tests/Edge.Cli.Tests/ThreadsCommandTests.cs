using System.Text.Json;
using Edge.Formats.Npy;

namespace Edge.Cli.Tests;

/// <summary>--threads on run, bench and tts: the same outputs at any count, and a bad count is a one-line error.</summary>
public sealed class ThreadsCommandTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string Voice => RepoPaths.Models("tts-default");   // its in-projections are large enough to be split

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1000")]
    [InlineData("two")]
    public void A_bad_thread_count_is_a_one_line_usage_error_on_every_command(string count)
    {
        string ecg = RepoPaths.Models("gru-attention-ecg");
        foreach (var args in new[]
        {
            new[] { "run", ecg, "--input", Path.Combine(ecg, "golden", "input.npy"), "--output", _tmp.File("x.npy") },
            new[] { "bench", ecg, "--steps", "10" },
            new[] { "bench", "--gla-release", "--steps", "1" },
            new[] { "tts", "hello.", "-o", _tmp.File("x.wav"), "--model", Voice },
        })
        {
            var r = CliRunner.Run([.. args, "--threads", count]);
            Assert.Equal(2, r.ExitCode);
            Assert.StartsWith($"edge: {args[0]}: --threads must be an integer between 1 and 256, got '{count}'. Options of 'edge {args[0]}': ", r.Stderr.Trim());
            Assert.Single(r.ErrorLines);
            Assert.Equal("", r.Stdout);
        }
        Assert.False(File.Exists(_tmp.File("x.npy")));
    }

    [Fact]
    public void Threads_with_the_onnx_backend_are_refused_in_one_line()
    {
        string lstm = RepoPaths.Models("lstm-stateful");
        var r = CliRunner.Run("run", lstm, "--input", Path.Combine(lstm, "golden", "input.npy"), "--output", _tmp.File("x.npy"), "--backend", "onnx", "--threads", "2");
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.Contains("--threads splits the CPU backend's products", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_gives_the_same_logits_bit_for_bit_on_one_and_three_threads()
    {
        string golden = Path.Combine(Voice, "golden-voice");
        string text = File.ReadAllText(Path.Combine(golden, "text.txt")).TrimEnd('\n');
        byte[] Run(string threads)
        {
            string output = _tmp.File($"logits-{threads}.npy");
            var r = CliRunner.Run("run", Voice, "--input", Path.Combine(golden, "input.npy"), "--output", output, "--text", text,
                "--voice", Path.Combine(Voice, "voices", "default.safetensors"), "--threads", threads);
            Assert.True(r.ExitCode == 0, r.Stderr);
            return File.ReadAllBytes(output);
        }
        var one = Run("1");
        Assert.Equal(one, Run("3"));
        Assert.Contains(NpyFile.Read(_tmp.File("logits-1.npy")).Data, v => v != 0);
    }

    [Fact]
    public void Tts_speaks_the_same_file_byte_for_byte_on_one_and_two_threads()
    {
        string a = _tmp.File("one.wav"), b = _tmp.File("two.wav");
        Assert.Equal(0, CliRunner.Run("tts", "the weather is nice.", "-o", a, "--seed", "5", "--threads", "1").ExitCode);
        Assert.Equal(0, CliRunner.Run("tts", "the weather is nice.", "-o", b, "--seed", "5", "--threads", "2").ExitCode);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        Assert.True(new FileInfo(a).Length > 10_000);
    }

    [Fact]
    public void Bench_json_says_how_many_threads_stepped()
    {
        int Threads(params string[] args)
        {
            var r = CliRunner.Run(["bench", .. args, "--steps", "50", "--warmup", "5", "--json"]);
            Assert.True(r.ExitCode == 0, r.Stderr);
            using var doc = JsonDocument.Parse(r.Stdout);
            Assert.Equal(0, doc.RootElement.GetProperty("alloc_bytes_per_step").GetDouble());
            return doc.RootElement.GetProperty("threads").GetInt32();
        }
        Assert.Equal(2, Threads(Voice, "--threads", "2"));
        Assert.Equal(1, Threads(Voice));                                                    // 2 MB of weights a step: one thread by default
        Assert.Equal(1, Threads(RepoPaths.Models("gru-attention-ecg"), "--threads", "2"));   // a small-step family always steps on one
    }
}
