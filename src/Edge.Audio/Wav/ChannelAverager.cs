using NAudio.Wave;

namespace Edge.Audio.Wav;

/// <summary>Mixes interleaved N-channel samples down to one channel, each output sample the mean of its frame.</summary>
internal sealed class ChannelAverager : ISampleProvider
{
    private readonly ISampleProvider _source;
    private readonly int _channels;
    private float[] _buffer = [];

    public ChannelAverager(ISampleProvider source)
    {
        _source = source;
        _channels = source.WaveFormat.Channels;
        WaveFormat = WaveFormat.CreateIeeeFloatWaveFormat(source.WaveFormat.SampleRate, 1);
    }

    public WaveFormat WaveFormat { get; }

    public int Read(Span<float> buffer)
    {
        int want = buffer.Length * _channels;
        if (_buffer.Length < want) _buffer = new float[want];
        int got = 0;
        while (got < want)
        {
            int n = _source.Read(_buffer.AsSpan(got, want - got));
            if (n == 0) break;
            got += n;
        }
        int frames = got / _channels;
        float scale = 1f / _channels;
        for (int f = 0; f < frames; f++)
        {
            float sum = 0;
            for (int c = 0; c < _channels; c++) sum += _buffer[f * _channels + c];
            buffer[f] = sum * scale;
        }
        return frames;
    }
}
