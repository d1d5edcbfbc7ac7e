using System.Diagnostics;
using System.Globalization;
using Edge.Families.Gla;
using Edge.Formats.Npy;
using Edge.Streams;

namespace Edge.Cli.Demo;

/// <summary>
/// The text-to-speech demo on the small Lina-Speech-architecture reference model (random weights: its
/// codes are not speech): golden logits with and without a voice, sampling codes for a sentence, and a
/// voice made from a clip's codes without training.
/// </summary>
internal static class GlaDemo
{
    public static bool Run(TextWriter o)
    {
        var c = CultureInfo.InvariantCulture;
        string dir = DemoModels.Extract("lina-reference");
        using var model = EdgeModel.Load(dir);
        o.WriteLine($"lina-reference: gla-tts (Lina-Speech architecture, d_model 64, random weights), {model.State.Bytes:N0} bytes of state");

        bool ok = true;
        foreach (var (folder, voice) in new[] { ("golden", (string?)null), ("golden-voice", Path.Combine(dir, "voices", "demo.safetensors")) })
        {
            using var stream = model.CreateStream();
            if (voice is not null) stream.GetFeature<IVoiceConditioning>()!.LoadVoice(voice);
            stream.GetFeature<ITextConditioning>()!.SetText(File.ReadAllText(Path.Combine(dir, folder, "text.txt")).TrimEnd('\n', '\r'));
            var input = NpyFile.Read(Path.Combine(dir, folder, "input.npy"));
            var expected = NpyFile.Read(Path.Combine(dir, folder, "output.npy"));
            double err = DemoChecks.MaxAbs(DemoChecks.Replay(stream, input), expected.Data);
            bool pass = err <= 1e-4;
            ok &= pass;
            o.WriteLine(string.Create(c, $"  golden check   {input.Rows} teacher-forced steps{(voice is null ? "" : " with a voice")}: max abs logit error {err:E1} {DemoChecks.Verdict(pass)}"));
        }

        const string sentence = "edge speaks one token at a time.";
        using (var stream = model.CreateStream())
        {
            stream.GetFeature<ITextConditioning>()!.SetText(sentence);
            var generator = new SpeechGenerator(stream, new SpeechGeneratorOptions { Seed = 7, MaxSteps = 300 });
            var clock = Stopwatch.StartNew();
            int frames = generator.Generate().Length;
            double ms = clock.Elapsed.TotalMilliseconds;
            o.WriteLine(string.Create(c, $"  generate       \"{sentence}\": {frames} codes sampled (top-k 100, seed 7) in {ms:F0} ms, {(generator.StoppedAtEos ? "stopped at EOS" : "reached the 300-step limit")}"));

            // A voice without training: the decoder's memory after a clip's codes, saved at a fixed size.
            string voiceFile = Path.Combine(Path.GetTempPath(), $"edge-demo-voice-{Environment.ProcessId}.safetensors");
            var sizes = new List<long>();
            foreach (int clip in new[] { 20, 200 })
            {
                stream.Reset();
                var x = new float[model.InputSize];
                var y = new float[model.OutputSize];
                for (int t = 0; t < clip; t++)
                {
                    x[0] = 3 + (t * 17) % 60;
                    stream.Step(x, y);
                }
                stream.GetFeature<IVoiceConditioning>()!.SaveVoice(voiceFile);
                sizes.Add(new FileInfo(voiceFile).Length);
            }
            File.Delete(voiceFile);
            bool fixedSize = sizes[0] == sizes[1];
            ok &= fixedSize;
            o.WriteLine($"  voice          made from 20 and from 200 codes: {sizes[0]:N0} and {sizes[1]:N0} bytes {DemoChecks.Verdict(fixedSize)}");
        }
        return ok;
    }
}
