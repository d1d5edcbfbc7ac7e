using System.Buffers.Binary;
using Edge.Audio.Wav;

namespace Edge.Fuzz.Targets;

/// <summary>A WAV file (reference clips for cloning, audio for the codec's encoder), read to mono floats.</summary>
public sealed class WavTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "wav";

    /// <inheritdoc />
    public override string Parses => "WavReader.ReadMono (as a file)";

    /// <inheritdoc />
    public override IEnumerable<FuzzSeed> Seeds(FuzzFixtures fixtures)
    {
        yield return new("pcm16-mono-16k", Wav(1, 16000, 16, formatTag: 1, frames: 32));
        yield return new("pcm16-stereo-48k", Wav(2, 48000, 16, formatTag: 1, frames: 16));
        yield return new("float32-mono-8k", Wav(1, 8000, 32, formatTag: 3, frames: 16));
        yield return new("pcm24-mono-22k", Wav(1, 22050, 24, formatTag: 1, frames: 8));
    }

    /// <inheritdoc />
    public override void Run(byte[] input, FuzzFixtures fixtures) => WavReader.ReadMono(fixtures.WriteFile("fuzz.wav", input));

    // A canonical RIFF/WAVE file: "fmt " then "data", with a ramp as the samples.
    private static byte[] Wav(int channels, int rate, int bits, int formatTag, int frames)
    {
        int blockAlign = channels * bits / 8, dataBytes = frames * blockAlign;
        var b = new byte[44 + dataBytes];
        "RIFF"u8.CopyTo(b);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(4), 36 + dataBytes);
        "WAVEfmt "u8.CopyTo(b.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(16), 16);
        BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(20), (short)formatTag);
        BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(22), (short)channels);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(24), rate);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(28), rate * blockAlign);
        BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(32), (short)blockAlign);
        BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(34), (short)bits);
        "data"u8.CopyTo(b.AsSpan(36));
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(40), dataBytes);
        for (int i = 0; i < dataBytes; i++) b[44 + i] = (byte)(i * 37);
        return b;
    }
}
