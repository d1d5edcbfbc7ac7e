using Edge.Speech.Synthesis;
using NAudio.Wave;

namespace Edge.Speech.Output;

/// <summary>
/// Writes audio as it arrives to a 16-bit mono PCM WAV file through NAudio's <see cref="WaveFileWriter"/>,
/// resampled (<see cref="StreamingResampler"/>) when the file's rate differs from the audio's. Samples are
/// clipped to [−1, 1]. Dispose to finish the file (the header's sizes are written then).
/// </summary>
public sealed class WavAudioSink : IAudioSink, IDisposable
{
    private readonly WaveFileWriter _writer;
    private readonly StreamingResampler? _resampler;
    private float[] _scratch = new float[4096];
    private bool _finished;

    /// <summary>A WAV file at <paramref name="path"/> for audio at <paramref name="audioRate"/>, written at <paramref name="fileRate"/> (0: the audio's rate).</summary>
    public WavAudioSink(string path, int audioRate, int fileRate = 0)
    {
        if (fileRate == 0) fileRate = audioRate;
        _resampler = fileRate == audioRate ? null : new StreamingResampler(audioRate, fileRate);
        try
        {
            _writer = new WaveFileWriter(path, new WaveFormat(fileRate, 16, 1));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EdgeException(EdgeErrorCode.FileNotFound, $"wav: cannot write '{MessageText.Value(path, 200)}' ({e.Message}); choose a file in a folder you can write to.");
        }
        SampleRate = fileRate;
    }

    /// <summary>The file's sample rate.</summary>
    public int SampleRate { get; }

    /// <summary>Samples written to the file so far.</summary>
    public long SamplesWritten { get; private set; }

    /// <inheritdoc />
    public void Write(ReadOnlySpan<float> samples) => Put(_resampler is null ? samples : _resampler.Process(samples));

    private void Put(ReadOnlySpan<float> samples)
    {
        if (samples.IsEmpty) return;
        if (_scratch.Length < samples.Length) _scratch = new float[Math.Max(samples.Length, _scratch.Length * 2)];
        // NAudio scales without clipping, so a sample past ±1 would wrap round in 16 bits.
        for (int i = 0; i < samples.Length; i++) _scratch[i] = Math.Clamp(samples[i], -1f, 1f);
        _writer.WriteSamples(_scratch, 0, samples.Length);
        SamplesWritten += samples.Length;
    }

    /// <summary>Writes the resampler's tail and the header; the file is complete after this.</summary>
    public void Dispose()
    {
        if (_finished) return;
        _finished = true;
        try
        {
            if (_resampler is not null) Put(_resampler.Flush());
        }
        finally
        {
            _writer.Dispose();
        }
    }
}
