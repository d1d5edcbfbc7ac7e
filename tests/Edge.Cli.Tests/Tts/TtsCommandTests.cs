using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Cli.Arguments;
using Edge.Cli.Commands;
using Edge.Cli.Tests.Docs;
using NAudio.Wave;

namespace Edge.Cli.Tests.Tts;

/// <summary><c>edge tts</c> on the tiny random-weight voice package (tests/fixtures/speech/tts-tiny, the real mel-vq codec).</summary>
public class TtsCommandTests : IDisposable
{
    private static readonly string Tiny = RepoPaths.Fixtures("speech", "tts-tiny");
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static JsonElement Json(CliRunner.Result r)
    {
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Stderr}");
        using var doc = JsonDocument.Parse(r.Stdout);
        return doc.RootElement.Clone();
    }

    [Fact]
    public void Json_prints_the_documented_figures_and_they_match_the_wav()
    {
        string wav = _tmp.File("out.wav");
        var j = Json(CliRunner.Run("tts", "the weather is nice today. it is warm!", "-o", wav, "--model", Tiny, "--seed", "4", "--json"));
        var doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "cli.md"));
        var documented = MarkdownText.JsonKeys(MarkdownText.Section(doc, "edge tts"));
        Assert.Equal(documented.Order(), j.EnumerateObject().Select(p => p.Name).Order());

        using var reader = new WaveFileReader(wav);
        Assert.Equal(16000, reader.WaveFormat.SampleRate);
        Assert.Equal(16, reader.WaveFormat.BitsPerSample);
        Assert.Equal(1, reader.WaveFormat.Channels);
        Assert.Equal(16000, j.GetProperty("sample_rate").GetInt32());
        Assert.Equal(reader.SampleCount / 16000.0, j.GetProperty("audio_seconds").GetDouble(), 3);
        Assert.Equal(2, j.GetProperty("sentences").GetInt32());
        Assert.True(j.GetProperty("tokens").GetInt64() >= (reader.SampleCount - 4000) / 320 - 10);   // one frame (320 samples) per token; 0.25 s of pause between the two sentences
        Assert.Equal(0, j.GetProperty("alloc_bytes_per_token").GetDouble());
        Assert.True(j.GetProperty("load_ms").GetDouble() > 0);
        Assert.True(j.GetProperty("time_to_first_audio_ms").GetDouble() > 0);
        Assert.True(j.GetProperty("real_time_factor").GetDouble() > 0);
        Assert.Equal("default.safetensors", j.GetProperty("voice").GetString());
        Assert.Equal(10, j.GetProperty("top_k").GetInt32());
        Assert.Equal(0.7, j.GetProperty("temperature").GetDouble());
        Assert.True(reader.SampleCount > 16000 / 2, $"{reader.SampleCount} samples");
    }

    [Fact]
    public void The_same_seed_writes_the_same_file_and_another_seed_another()
    {
        string a = _tmp.File("a.wav"), b = _tmp.File("b.wav"), c = _tmp.File("c.wav");
        Assert.Equal(0, CliRunner.Run("tts", "same seed, same speech.", "-o", a, "--model", Tiny, "--seed", "7").ExitCode);
        Assert.Equal(0, CliRunner.Run("tts", "same seed, same speech.", "-o", b, "--model", Tiny, "--seed", "7").ExitCode);
        Assert.Equal(0, CliRunner.Run("tts", "same seed, same speech.", "-o", c, "--model", Tiny, "--seed", "8").ExitCode);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        Assert.NotEqual(File.ReadAllBytes(a), File.ReadAllBytes(c));

        // Greedy (top-k 1) takes no draws: every seed gives the same file.
        string g1 = _tmp.File("g1.wav"), g2 = _tmp.File("g2.wav");
        Assert.Equal(0, CliRunner.Run("tts", "same seed, same speech.", "-o", g1, "--model", Tiny, "--seed", "7", "--top-k", "1").ExitCode);
        Assert.Equal(0, CliRunner.Run("tts", "same seed, same speech.", "-o", g2, "--model", Tiny, "--seed", "8", "--top-k", "1").ExitCode);
        Assert.Equal(File.ReadAllBytes(g1), File.ReadAllBytes(g2));
    }

    [Fact]
    public void A_voice_is_a_file_or_the_name_of_one_of_the_package_voices()
    {
        string byDefault = _tmp.File("default.wav"), byName = _tmp.File("name.wav"), byPath = _tmp.File("path.wav");
        Assert.Equal(0, CliRunner.Run("tts", "whose voice is this?", "-o", byDefault, "--model", Tiny).ExitCode);
        var j = Json(CliRunner.Run("tts", "whose voice is this?", "-o", byName, "--model", Tiny, "--voice", "other", "--json"));
        Assert.Equal("other.safetensors", j.GetProperty("voice").GetString());
        Assert.Equal(0, CliRunner.Run("tts", "whose voice is this?", "-o", byPath, "--model", Tiny, "--voice", Path.Combine(Tiny, "voices", "other.safetensors")).ExitCode);
        Assert.Equal(File.ReadAllBytes(byPath), File.ReadAllBytes(byName));
        Assert.NotEqual(File.ReadAllBytes(byDefault), File.ReadAllBytes(byName));
        var r = CliRunner.Run("tts", "hello.", "-o", _tmp.File("x.wav"), "--model", Tiny, "--voice", "nobody");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("one of the package's voices: default, other.", r.Stderr);
    }

    [Fact]
    public void Rate_resamples_to_the_length_at_the_new_rate()
    {
        string plain = _tmp.File("16k.wav"), fast = _tmp.File("22k.wav");
        Assert.Equal(0, CliRunner.Run("tts", "a resampled sentence.", "-o", plain, "--model", Tiny, "--seed", "2").ExitCode);
        var r = CliRunner.Run("tts", "a resampled sentence.", "-o", fast, "--model", Tiny, "--seed", "2", "--rate", "22050", "--json");
        long n16;
        using (var p = new WaveFileReader(plain)) n16 = p.SampleCount;
        using var f = new WaveFileReader(fast);
        Assert.Equal(22050, f.WaveFormat.SampleRate);
        Assert.Equal(22050, Json(r).GetProperty("sample_rate").GetInt32());
        Assert.Equal((long)Math.Round(n16 * 22050 / 16000.0), f.SampleCount);
    }

    [Fact]
    public void Text_from_standard_input_and_from_a_file_speaks_as_the_argument_does()
    {
        const string text = "read from a pipe. and a file.";
        string arg = _tmp.File("arg.wav"), piped = _tmp.File("piped.wav"), dash = _tmp.File("dash.wav"), file = _tmp.File("file.wav");
        Assert.Equal(0, CliRunner.Run("tts", text, "-o", arg, "--model", Tiny).ExitCode);
        var stdout = new StringWriter();
        Assert.Equal(0, TtsCommand.Run(["-o", piped, "--model", Tiny], new StringReader(text + "\n"), stdout, new StringWriter()));
        Assert.Equal(0, TtsCommand.Run(["-", "-o", dash, "--model", Tiny], new StringReader(text), stdout, new StringWriter()));
        File.WriteAllText(_tmp.File("text.txt"), "Read from a pipe.\nAnd a file.\n");
        Assert.Equal(0, CliRunner.Run("tts", "--text-file", _tmp.File("text.txt"), "-o", file, "--model", Tiny).ExitCode);
        var expected = File.ReadAllBytes(arg);
        Assert.Equal(expected, File.ReadAllBytes(piped));
        Assert.Equal(expected, File.ReadAllBytes(dash));
        Assert.Equal(expected, File.ReadAllBytes(file));

        var none = Assert.Throws<UsageException>(() => TtsCommand.Run(["-o", _tmp.File("x.wav"), "--model", Tiny], null, stdout, new StringWriter()));
        Assert.Contains("give the text to speak", none.Message);
        var terminal = Assert.Throws<UsageException>(() => TtsCommand.Run(["-", "-o", _tmp.File("x.wav"), "--model", Tiny], null, stdout, new StringWriter()));
        Assert.Contains("standard input is a terminal", terminal.Message);
    }

    public static TheoryData<string, string[], string> BadInputs => new()
    {
        { "empty text", ["", "-o", "OUT"], "nothing to say" },
        { "white space only", [" \n ", "-o", "OUT"], "nothing to say" },
        { "a digit", ["it is 12 o'clock.", "-o", "OUT"], "character '1' (U+0031) at position 6 is not in the tokenizer's vocabulary" },
        { "an accented letter", ["caf\u00e9.", "-o", "OUT"], "character '\u00e9' (U+00E9) at position 3" },
        { "an unwritable output", ["hello.", "-o", "/proc/edge-test.wav"], "cannot be written" },
        { "an output folder that does not exist", ["hello.", "-o", "/no-such-folder/x.wav"], "which does not exist; create it first" },
        { "an output that is a folder", ["hello.", "-o", "/tmp"], "is a folder" },
        { "no output and no --play", ["hello."], "-o OUT.wav (and/or --play)" },
        { "text twice", ["hello.", "--text-file", "TEXTFILE", "-o", "OUT"], "not both" },
        { "a missing text file", ["--text-file", "/no-such-file.txt", "-o", "OUT"], "does not exist" },
        { "a missing voice", ["hello.", "--voice", "/no-such-voice.safetensors", "-o", "OUT"], "--voice '/no-such-voice.safetensors' does not exist" },
        { "a rate out of range", ["hello.", "--rate", "100", "-o", "OUT"], "--rate must be an integer between 8000 and 192000" },
        { "a temperature that is no number", ["hello.", "--temperature", "warm", "-o", "OUT"], "--temperature must be a number between 0.01 and 10" },
        { "a top-k of 0", ["hello.", "--top-k", "0", "-o", "OUT"], "--top-k must be an integer between 1" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_input_is_one_line_and_exit_2_and_writes_nothing(string what, string[] args, string expected)
    {
        string output = _tmp.File("out.wav");
        File.WriteAllText(_tmp.File("text.txt"), "hello.");
        string[] full = ["tts", .. args.Select(x => x == "OUT" ? output : x == "TEXTFILE" ? _tmp.File("text.txt") : x), "--model", Tiny];
        var r = CliRunner.Run(full);
        Assert.True(r.ExitCode == 2, $"{what}: exit {r.ExitCode}, {r.Stderr}");
        Assert.Single(r.ErrorLines);
        Assert.Contains(expected, r.Stderr);
        Assert.False(File.Exists(output), $"{what}: a file was written");
    }

    [Fact]
    public void Text_of_100000_characters_is_refused_with_the_limit_before_any_audio()
    {
        string text = string.Concat(Enumerable.Repeat("the weather is nice today. ", 100_000 / 27 + 1))[..100_000];
        File.WriteAllText(_tmp.File("long.txt"), text);
        string output = _tmp.File("long.wav");
        var r = CliRunner.Run("tts", "--text-file", _tmp.File("long.txt"), "-o", output, "--model", Tiny);
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.Contains("over the limit of 20000", r.Stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Several_sentences_are_spoken_one_after_another()
    {
        string text = string.Join(' ', Enumerable.Range(0, 6).Select(i => $"sentence number {new[] { "one", "two", "three", "four", "five", "six" }[i]}."));
        var j = Json(CliRunner.Run("tts", text, "-o", _tmp.File("six.wav"), "--model", Tiny, "--json"));
        Assert.Equal(6, j.GetProperty("sentences").GetInt32());
    }

    [Fact]
    public void A_codec_folder_of_the_wrong_shape_is_one_line_and_exit_2()
    {
        string pkg = _tmp.File("pkg");
        CopyFolder(Tiny, pkg);
        string codecJson = Path.Combine(pkg, "codec", "codec.json");
        var codec = JsonNode.Parse(File.ReadAllText(codecJson))!;
        codec["n_mels"] = 64;   // the codebook and filterbank hold 80 bands
        File.WriteAllText(codecJson, codec.ToJsonString());
        var model = JsonNode.Parse(File.ReadAllText(Path.Combine(pkg, "model.json")))!;
        model["sha256"]!["codec/codec.json"] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(codecJson)));
        File.WriteAllText(Path.Combine(pkg, "model.json"), model.ToJsonString());
        string output = _tmp.File("x.wav");
        var r = CliRunner.Run("tts", "hello.", "-o", output, "--model", pkg);
        Assert.True(r.ExitCode == 2, r.Stderr);
        Assert.Single(r.ErrorLines);
        Assert.Contains("codec", r.Stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Play_without_a_sound_device_says_so_in_one_line_and_still_writes_the_wav()
    {
        // The test machines have no sound card (aplay fails to open one) or no aplay at all: one line either way.
        string output = _tmp.File("played.wav");
        var r = CliRunner.Run("tts", "hello there.", "-o", output, "--model", Tiny, "--play");
        Assert.Equal(0, r.ExitCode);
        Assert.True(File.Exists(output));
        if (r.Stderr.Length > 0)
        {
            Assert.Single(r.ErrorLines);
            Assert.Contains("--play", r.Stderr);
            Assert.Contains($"still written to {output}", r.Stderr);
        }
    }

    [Fact]
    public void Without_model_it_speaks_with_the_embedded_default_or_says_it_has_none()
    {
        bool embedded = typeof(EdgeCommandLine).Assembly.GetManifestResourceNames().Any(n => n == $"models/{TtsCommand.DefaultModel}/model.json");
        string output = _tmp.File("default.wav");
        var r = CliRunner.Run("tts", "the weather is nice today.", "-o", output);
        if (embedded)
        {
            Assert.True(r.ExitCode == 0, r.Stderr);
            using var reader = new WaveFileReader(output);
            Assert.True(reader.SampleCount > 8000);
        }
        else
        {
            Assert.Equal(2, r.ExitCode);
            Assert.Single(r.ErrorLines);
            Assert.Contains("default voice model is not embedded", r.Stderr);
            Assert.Contains("--model PKG", r.Stderr);
        }
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (string f in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string dst = Path.Combine(to, Path.GetRelativePath(from, f));
            Directory.CreateDirectory(Path.GetDirectoryName(dst)!);
            File.Copy(f, dst);
        }
    }
}
