using Edge.Speech.Codecs.MelVq;

namespace Edge.Speech.Tests.Codecs;

/// <summary>The streaming contract of the mel-vq decoder: bounded look-ahead, Reset and Finish, no allocation per frame.</summary>
public sealed class MelVqStreamingTests
{
    private static readonly int HalfWindow = ((MelVqCodec)MelVqGolden.Codec).Config.FftSize / 2;

    private static int[] RandomCodes(int count, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => rng.Next(MelVqGolden.Codec.CodebookSize)).ToArray();
    }

    [Fact]
    public void Samples_become_final_after_the_lookahead_and_never_depend_on_later_codes()
    {
        var codec = MelVqGolden.Codec;
        int hop = codec.SamplesPerFrame, lookahead = codec.LookaheadFrames;
        int[] a = MelVqGolden.Codes;
        int[] b = a.Take(40).Concat(RandomCodes(a.Length - 40, 3)).ToArray();
        using var decoder = codec.CreateDecoder();
        float[] ya = MelVqGolden.Decode(decoder, a);
        float[] yb = MelVqGolden.Decode(decoder, b);
        // Once frame 39 has arrived, frames up to 39 - L are committed: (40 - L) hops less half a window are final.
        int final = (40 - lookahead) * hop - HalfWindow;
        Assert.Equal(ya.AsSpan(0, final).ToArray(), yb.AsSpan(0, final).ToArray());
        Assert.NotEqual(ya.AsSpan(final, 4 * hop).ToArray(), yb.AsSpan(final, 4 * hop).ToArray());
    }

    [Fact]
    public void Pushes_write_exactly_the_samples_the_lookahead_allows()
    {
        var codec = MelVqGolden.Codec;
        int hop = codec.SamplesPerFrame, lookahead = codec.LookaheadFrames;
        using var decoder = codec.CreateDecoder();
        var buffer = new float[decoder.MaxFinishSamples];
        int[] codes = MelVqGolden.Codes;
        long written = 0;
        for (int m = 0; m < codes.Length; m++)
        {
            int n = decoder.Push(codes.AsSpan(m, 1), buffer);
            Assert.InRange(n, 0, decoder.MaxSamplesPerPush);
            written += n;
            Assert.Equal(Math.Max(0, (m - lookahead + 1) * hop - HalfWindow), written);
        }
        int rest = decoder.Finish(buffer);
        Assert.InRange(rest, 0, decoder.MaxFinishSamples);
        Assert.Equal((long)codes.Length * hop, written + rest);
        Assert.Equal(lookahead * hop + HalfWindow, rest);   // the latency: L hops and half a window
    }

    [Fact]
    public void Reset_and_Finish_start_a_fresh_utterance()
    {
        var codec = MelVqGolden.Codec;
        int[] codes = MelVqGolden.Codes;
        using var fresh = codec.CreateDecoder();
        float[] expected = MelVqGolden.Decode(fresh, codes);

        using var reused = codec.CreateDecoder();
        var buffer = new float[reused.MaxFinishSamples];
        foreach (int c in RandomCodes(17, 5)) reused.Push([c], buffer);
        reused.Reset();
        Assert.Equal(expected, MelVqGolden.Decode(reused, codes));
        // Decode ends with Finish: the next utterance on the same decoder is as on a new one.
        Assert.Equal(expected, MelVqGolden.Decode(reused, codes));
    }

    [Fact]
    public void Short_utterances_decode_to_whole_frames()
    {
        var codec = MelVqGolden.Codec;
        using var decoder = codec.CreateDecoder();
        for (int frames = 0; frames <= codec.LookaheadFrames + 2; frames++)
        {
            float[] y = MelVqGolden.Decode(decoder, MelVqGolden.Codes.AsSpan(30, frames));
            Assert.Equal(frames * codec.SamplesPerFrame, y.Length);
            Assert.True(frames == 0 || y.Max(Math.Abs) > 1e-3, $"{frames} frames of speech decoded to silence");
        }
    }

    [Fact]
    public void Decoding_allocates_nothing_per_frame()
    {
        using var decoder = MelVqGolden.Codec.CreateDecoder();
        var buffer = new float[decoder.MaxFinishSamples];
        int[] codes = MelVqGolden.Codes;
        var frame = new int[1];
        for (int i = 0; i < 200; i++) { frame[0] = codes[i % codes.Length]; decoder.Push(frame, buffer); }
        decoder.Finish(buffer);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            frame[0] = codes[i % codes.Length];
            decoder.Push(frame, buffer);
            if (i % 250 == 249) decoder.Finish(buffer);
        }
        decoder.Reset();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Encoding_allocates_nothing()
    {
        var encoder = MelVqGolden.Codec.CreateEncoder()!;
        float[] clip = MelVqGolden.Clip;
        var codes = new int[encoder.FrameCount(clip.Length)];
        encoder.Encode(clip, codes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        encoder.Encode(clip, codes);
        encoder.Encode(clip.AsSpan(0, 5000), codes.AsSpan(0, encoder.FrameCount(5000)));
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Bad_codes_and_short_buffers_are_refused()
    {
        using var decoder = MelVqGolden.Codec.CreateDecoder();
        var buffer = new float[decoder.MaxFinishSamples];
        var e = Assert.Throws<EdgeException>(() => decoder.Push([MelVqGolden.Codec.CodebookSize], buffer));
        Assert.Equal(EdgeErrorCode.InvalidArgument, e.Code);
        Assert.Contains("outside the codebook", e.Message);
        e = Assert.Throws<EdgeException>(() => decoder.Push([1, 2], buffer));
        Assert.Equal(EdgeErrorCode.InvalidArgument, e.Code);
        e = Assert.Throws<EdgeException>(() => decoder.Push([1], new float[10]));
        Assert.Contains("MaxSamplesPerPush", e.Message);
    }
}
