using Edge.Speech.Codecs;

namespace Edge.Speech.Tests;

/// <summary>
/// A small real codec for the synthesizer's tests: code c is a Hann-windowed tone of 100 + 10·c Hz over two
/// hops, overlap-added, so the second half of each frame's tone waits for the next frame (look-ahead 1) and Finish hands it out.
/// </summary>
internal sealed class OverlapAddCodec(int codebookSize = 256, int quantizers = 1) : ISpeechCodec
{
    public const int Hop = 320;

    public string Kind => "overlap-add-test";

    public int SampleRate => 16000;

    public int SamplesPerFrame => Hop;

    public int Quantizers => quantizers;

    public int CodebookSize => codebookSize;

    public int LookaheadFrames => 1;

    public ICodecDecoder CreateDecoder() => new Decoder(codebookSize);

    public ICodecEncoder? CreateEncoder() => null;

    private sealed class Decoder(int codebookSize) : ICodecDecoder
    {
        private readonly float[] _tail = new float[Hop];   // the second half of the last frame's tone
        private bool _started;

        public int MaxSamplesPerPush => Hop;

        public int MaxFinishSamples => Hop;

        public int Push(ReadOnlySpan<int> frame, Span<float> audio)
        {
            int code = frame[0];
            if (code < 0 || code >= codebookSize) throw new ArgumentOutOfRangeException(nameof(frame));
            double f = 100 + 10.0 * code;
            for (int i = 0; i < 2 * Hop; i++)
            {
                double w = 0.5 - 0.5 * Math.Cos(Math.PI * i / Hop);
                float s = (float)(0.3 * w * Math.Sin(2 * Math.PI * f * i / 16000));
                if (i < Hop) audio[i] = _tail[i] + s;
                else _tail[i - Hop] = s;
            }
            _started = true;
            return Hop;
        }

        public int Finish(Span<float> audio)
        {
            if (!_started) return 0;
            _tail.CopyTo(audio);
            Reset();
            return Hop;
        }

        public void Reset()
        {
            Array.Clear(_tail);
            _started = false;
        }

        public void Dispose()
        {
        }
    }
}
