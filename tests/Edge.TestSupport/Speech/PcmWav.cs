using System.Buffers.Binary;

namespace Edge.TestSupport.Speech;

/// <summary>Writes mono float samples as a 16-bit PCM WAV (clipped to [-1, 1]), for the judge to listen to.</summary>
public static class PcmWav
{
    public static void Write(string path, ReadOnlySpan<float> samples, int sampleRate)
    {
        int dataBytes = samples.Length * 2;
        var bytes = new byte[44 + dataBytes];
        var b = bytes.AsSpan();
        "RIFF"u8.CopyTo(b);
        BinaryPrimitives.WriteInt32LittleEndian(b[4..], 36 + dataBytes);
        "WAVEfmt "u8.CopyTo(b[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(b[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(b[20..], 1);                // PCM
        BinaryPrimitives.WriteInt16LittleEndian(b[22..], 1);                // mono
        BinaryPrimitives.WriteInt32LittleEndian(b[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(b[28..], sampleRate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(b[32..], 2);
        BinaryPrimitives.WriteInt16LittleEndian(b[34..], 16);
        "data"u8.CopyTo(b[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(b[40..], dataBytes);
        for (int i = 0; i < samples.Length; i++)
            BinaryPrimitives.WriteInt16LittleEndian(b[(44 + 2 * i)..], (short)Math.Round(Math.Clamp(samples[i], -1f, 1f) * 32767f));
        File.WriteAllBytes(path, bytes);
    }
}
