using Edge.Speech.Output;
using NAudio.Wave;

namespace Edge.Speech.Tests.Output;

public class WavAudioSinkTests
{
    private static float[] Tone(int n, double hz, int rate) => [.. Enumerable.Range(0, n).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * hz * i / rate)))];

    [Fact]
    public void Chunks_become_one_16_bit_mono_wav_at_the_audio_rate()
    {
        string path = Path.Combine(Path.GetTempPath(), $"edge-wav-{Guid.NewGuid():N}.wav");
        try
        {
            var tone = Tone(16000, 440, 16000);
            tone[100] = 3f;   // clipped, never wrapped round (16-bit steps are 1/32768: two of them for NAudio's truncation both ways)
            using (var sink = new WavAudioSink(path, 16000))
                for (int i = 0; i < tone.Length; i += 700) sink.Write(tone.AsSpan(i, Math.Min(700, tone.Length - i)));
            using var reader = new WaveFileReader(path);
            Assert.Equal(16000, reader.WaveFormat.SampleRate);
            Assert.Equal(16, reader.WaveFormat.BitsPerSample);
            Assert.Equal(1, reader.WaveFormat.Channels);
            Assert.Equal(16000, reader.SampleCount);
            var back = new float[16000];
            Assert.Equal(16000, reader.ToSampleProvider().Read(back));
            Assert.InRange(back[100], 0.999f, 1f);
            for (int i = 0; i < back.Length; i += 997) if (i != 100) Assert.Equal(tone[i], back[i], 7e-5f);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(16000, 22050)]
    [InlineData(16000, 8000)]
    [InlineData(16000, 48000)]
    public void Resampling_gives_the_length_at_the_new_rate_and_keeps_the_pitch(int from, int to)
    {
        string path = Path.Combine(Path.GetTempPath(), $"edge-wav-{Guid.NewGuid():N}.wav");
        try
        {
            var tone = Tone(from * 2 + 123, 300, from);
            using (var sink = new WavAudioSink(path, from, to))
                for (int i = 0; i < tone.Length; i += 640) sink.Write(tone.AsSpan(i, Math.Min(640, tone.Length - i)));
            using var reader = new WaveFileReader(path);
            Assert.Equal(to, reader.WaveFormat.SampleRate);
            Assert.Equal((long)Math.Round((double)tone.Length * to / from), reader.SampleCount);
            var back = new float[reader.SampleCount];
            reader.ToSampleProvider().Read(back);
            // 300 Hz stays 300 Hz: zero crossings over the middle second.
            int crossings = 0;
            for (int i = to / 2 + 1; i < to / 2 + to; i++) if (back[i - 1] < 0 != back[i] < 0) crossings++;
            Assert.InRange(crossings, 598, 602);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_file_that_cannot_be_written_is_one_error()
    {
        var e = Assert.Throws<EdgeException>(() => new WavAudioSink(Path.Combine("/proc", "no-such-folder", "x.wav"), 16000));
        Assert.Contains("cannot write", e.Message);
    }
}
