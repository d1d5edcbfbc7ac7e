using Edge.Audio.Wav;
using NAudio.Wave;

namespace Edge.Audio.Tests;

public sealed class WavReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edge-audio").FullName;

    private string Write(string name, WaveFormat format, Action<WaveFileWriter> write)
    {
        string path = Path.Combine(_dir, name);
        using var w = new WaveFileWriter(path, format);
        write(w);
        return path;
    }

    [Fact]
    public void Sixteen_bit_stereo_is_averaged_to_mono_at_its_own_rate()
    {
        string path = Write("s16.wav", new WaveFormat(8000, 16, 2), w =>
        {
            for (int i = 0; i < 800; i++) w.WriteSamples(new short[] { 16384, -8192 }, 0, 2);   // 0.5 and -0.25
        });
        var clip = WavReader.ReadMono(path);
        Assert.Equal(8000, clip.SampleRate);
        Assert.Equal(800, clip.Samples.Length);
        Assert.All(clip.Samples, s => Assert.Equal(0.125f, s, 1e-4f));
        Assert.Equal(TimeSpan.FromMilliseconds(100), clip.Duration);
    }

    [Fact]
    public void Float_mono_reads_exactly()
    {
        var samples = Enumerable.Range(0, 1600).Select(i => MathF.Sin(i * 0.1f) * 0.5f).ToArray();
        string path = Write("f32.wav", WaveFormat.CreateIeeeFloatWaveFormat(16000, 1), w => w.WriteSamples(samples, 0, samples.Length));
        Assert.Equal(samples, WavReader.ReadMono(path).Samples);
    }

    [Fact]
    public void Resampling_keeps_the_duration_and_the_pitch()
    {
        // 1 s of a 440 Hz sine at 8 kHz, read at 16 kHz: twice the samples, still 880 zero crossings.
        string path = Write("sine.wav", WaveFormat.CreateIeeeFloatWaveFormat(8000, 1), w =>
        {
            for (int i = 0; i < 8000; i++) w.WriteSample(MathF.Sin(2 * MathF.PI * 440 * i / 8000f + 0.3f) * 0.8f);
        });
        var clip = WavReader.ReadMono(path, 16000);
        Assert.Equal(16000, clip.SampleRate);
        Assert.InRange(clip.Samples.Length, 15900, 16100);
        int crossings = 0;
        for (int i = 1; i < clip.Samples.Length; i++)
        {
            if (clip.Samples[i - 1] < 0 != clip.Samples[i] < 0) crossings++;
        }
        Assert.InRange(crossings, 870, 890);
    }

    [Theory]
    [InlineData(32, 2, 13875, "block align of 13875 bytes")]   // the fuzz finding: NAudio threw ArgumentException mid-read
    [InlineData(22, 2, 0, "0 channels")]
    [InlineData(22, 2, 200, "200 channels")]
    [InlineData(24, 4, 0, "sample rate of 0 Hz")]
    public void Fuzz_finding_inconsistent_wav_header_fields_are_InvalidInput(int offset, int width, int value, string said)
    {
        // A 16-bit stereo file whose header then disagrees with itself at one field of "fmt ".
        string path = Write("bad-header.wav", new WaveFormat(48000, 16, 2), w => w.WriteSamples(new short[64], 0, 64));
        var bytes = File.ReadAllBytes(path);
        if (width == 2) System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(offset), (short)value);
        else System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(offset), value);
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<EdgeException>(() => WavReader.ReadMono(path));
        Assert.Equal(EdgeErrorCode.InvalidInput, e.Code);
        Assert.Contains(said, e.Message);
    }

    [Fact]
    public void A_missing_file_and_a_non_wav_file_are_one_line_errors()
    {
        var missing = Assert.Throws<EdgeException>(() => WavReader.ReadMono(Path.Combine(_dir, "nope.wav")));
        Assert.Equal(EdgeErrorCode.FileNotFound, missing.Code);

        string junk = Path.Combine(_dir, "junk.wav");
        File.WriteAllText(junk, "this is not audio at all, just some text in a file");
        var bad = Assert.Throws<EdgeException>(() => WavReader.ReadMono(junk));
        Assert.Equal(EdgeErrorCode.InvalidInput, bad.Code);
        Assert.Contains(junk, bad.Message);
        Assert.DoesNotContain('\n', bad.Message);
    }

    [Fact]
    public void An_unsupported_encoding_says_how_to_convert_it()
    {
        string path = Write("alaw.wav", WaveFormat.CreateALawFormat(8000, 1), w => w.Write(new byte[800], 0, 800));
        var e = Assert.Throws<EdgeException>(() => WavReader.ReadMono(path));
        Assert.Equal(EdgeErrorCode.InvalidInput, e.Code);
        Assert.Contains("ALaw", e.Message);
        Assert.Contains("pcm_s16le", e.Message);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
