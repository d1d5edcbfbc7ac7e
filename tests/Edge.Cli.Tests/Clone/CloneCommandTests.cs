using System.Text.Json;
using Edge.Cli.Tests.Docs;
using Edge.TestSupport.Speech;
using NAudio.Wave;

namespace Edge.Cli.Tests.Clone;

/// <summary><c>edge clone</c> on the tiny random-weight voice package with clips a user might give it: each a voice or one line and exit 2.</summary>
public sealed class CloneCommandTests : IDisposable
{
    private static readonly string Tiny = RepoPaths.Fixtures("speech", "tts-tiny");
    private const string Sentence = "the weather is nice today";
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    // espeak-ng speaking the sentence at 16 kHz, as float samples.
    private float[] Speech()
    {
        string wav = _tmp.File("espeak.wav");
        if (!File.Exists(wav)) Espeak.Speak(Sentence, wav);
        return Edge.Audio.Wav.WavReader.ReadMono(wav).Samples;
    }

    private string Write(string name, float[] mono, int rate, int channels = 1)
    {
        string path = _tmp.File(name);
        using var w = new WaveFileWriter(path, new WaveFormat(rate, 16, channels));
        var frame = new float[channels];
        foreach (float x in mono)
        {
            for (int c = 0; c < channels; c++) frame[c] = c == 0 ? x : 0.8f * x;
            w.WriteSamples(frame, 0, channels);
        }
        return path;
    }

    private static float[] Resample(float[] x, int from, int to)
        => Enumerable.Range(0, (int)((long)x.Length * to / from)).Select(i => x[Math.Min(x.Length - 1, (int)((long)i * from / to))]).ToArray();

    private static CliRunner.Result Clone(string wav, string voice, params string[] more)
        => CliRunner.Run(["clone", wav, "-o", voice, "--model", Tiny, "--text", Sentence, .. more]);

    private static void AssertOneLineError(CliRunner.Result r, string expected)
    {
        Assert.Equal(EdgeCommandLine.UserError, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.Single(r.ErrorLines);
        Assert.Contains(expected, r.Stderr);
    }

    [Fact]
    public void A_clip_clones_and_tts_speaks_with_the_voice()
    {
        string voice = _tmp.File("v.safetensors");
        var r = Clone(Write("ref.wav", Speech(), 16000), voice);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains($"{voice}: voice from", r.Stdout);
        string wav = _tmp.File("out.wav");
        var tts = CliRunner.Run("tts", "hello there.", "-o", wav, "--model", Tiny, "--voice", voice, "--seed", "2");
        Assert.True(tts.ExitCode == 0, tts.Stderr);
        using var reader = new WaveFileReader(wav);
        Assert.True(reader.SampleCount > 1600);
    }

    [Fact]
    public void Ten_minutes_8_kHz_and_48_kHz_stereo_each_make_a_voice_of_the_same_size()
    {
        var speech = Speech();
        var tenMinutes = new float[16000 * 600];
        for (int i = 0; i < tenMinutes.Length; i++) tenMinutes[i] = speech[i % speech.Length];
        var clips = new[]
        {
            Write("16k.wav", speech, 16000),
            Write("10min.wav", tenMinutes, 16000),
            Write("8k.wav", Resample(speech, 16000, 8000), 8000),
            Write("48k-stereo.wav", Resample(speech, 16000, 48000), 48000, channels: 2),
        };
        var sizes = new List<long>();
        foreach (string clip in clips)
        {
            string voice = _tmp.File(Path.GetFileNameWithoutExtension(clip) + ".safetensors");
            var r = Clone(clip, voice, "--json");
            Assert.True(r.ExitCode == 0, $"{clip}: {r.Stderr}");
            using var j = JsonDocument.Parse(r.Stdout);
            Assert.Equal(new FileInfo(voice).Length, j.RootElement.GetProperty("voice_bytes").GetInt64());
            Assert.InRange(j.RootElement.GetProperty("prompt_seconds").GetDouble(), 1.0, 3.0);
            sizes.Add(new FileInfo(voice).Length);
        }
        Assert.All(sizes, s => Assert.Equal(sizes[0], s));
        using var ten = JsonDocument.Parse(Clone(clips[1], _tmp.File("again.safetensors"), "--json").Stdout);
        Assert.Equal(600.0, ten.RootElement.GetProperty("clip_seconds").GetDouble(), 2);
        Assert.Equal(3.0, ten.RootElement.GetProperty("prompt_seconds").GetDouble(), 3);
    }

    [Fact]
    public void A_corrupt_wav_a_tenth_of_a_second_and_a_missing_clip_are_one_line_errors()
    {
        string corrupt = _tmp.File("corrupt.wav");
        File.WriteAllBytes(corrupt, [.. "RIFF"u8.ToArray(), 1, 2, 3, 4, .. "WAVEjunk"u8.ToArray(), .. new byte[64]]);
        AssertOneLineError(Clone(corrupt, _tmp.File("a.safetensors")), "not a readable WAV file");

        var speech = Speech();
        int start = Array.FindIndex(speech, x => Math.Abs(x) > 0.05f);
        AssertOneLineError(Clone(Write("tenth.wav", speech[start..(start + 1600)], 16000), _tmp.File("b.safetensors")), "of speech (0.10 s in all); a voice needs at least 0.5 s");
        AssertOneLineError(Clone(_tmp.File("missing.wav"), _tmp.File("c.safetensors")), "does not exist");
        AssertOneLineError(CliRunner.Run("clone", Write("ok.wav", speech, 16000), "--model", Tiny), "-o VOICE.safetensors");
        AssertOneLineError(Clone(Write("ok2.wav", speech, 16000), _tmp.File("d.safetensors"), "--text", "call me at 7"), "U+0037");
        Assert.False(File.Exists(_tmp.File("a.safetensors")) || File.Exists(_tmp.File("b.safetensors")) || File.Exists(_tmp.File("d.safetensors")));
    }

    [Fact]
    public void Json_prints_the_documented_keys()
    {
        var r = Clone(Write("ref.wav", Speech(), 16000), _tmp.File("v.safetensors"), "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var j = JsonDocument.Parse(r.Stdout);
        var doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "cli.md"));
        Assert.Equal(MarkdownText.JsonKeys(MarkdownText.Section(doc, "edge clone")).Order(), j.RootElement.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(0, j.RootElement.GetProperty("alloc_bytes_per_frame").GetDouble());
    }
}
