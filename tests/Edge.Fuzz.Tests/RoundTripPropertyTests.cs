using Edge.Audio.Wav;
using Edge.Formats.Npy;
using Edge.Formats.Safetensors;
using Edge.Speech.Output;
using Edge.Streams;
using FsCheck;
using FsCheck.Fluent;

namespace Edge.Fuzz.Tests;

/// <summary>
/// Every format Edge writes, read back: the same object, for random contents (fixed seeds). Safetensors and
/// .npy bit for bit, state and voice files through a real stream, WAV to within 16-bit quantisation.
/// </summary>
public sealed class RoundTripPropertyTests(FixturesFixture shared) : IClassFixture<FixturesFixture>
{
    private static readonly Gen<float> AnyFloat = Gen.Choose(int.MinValue, int.MaxValue).Select(BitConverter.Int32BitsToSingle);

    private static Gen<int[]> Shape(int rank, int most) => Gen.ArrayOf(Gen.Choose(1, most), rank);

    [Fact]
    public void Safetensors_written_read_back_bit_for_bit()
    {
        var tensor =
            from rank in Gen.Choose(0, 3)
            from shape in Shape(rank, 5)
            from data in Gen.ArrayOf(AnyFloat, shape.Aggregate(1, (a, b) => a * b))
            select (Shape: shape, Data: data);
        var files =
            from count in Gen.Choose(1, 5)
            from tensors in Gen.ArrayOf(tensor, count)
            from meta in Gen.Elements("", "pt", "edge-state\u00e9")
            select (Tensors: tensors, Meta: meta);
        Prop.ForAll(Arb.From(files), f =>
        {
            var entries = f.Tensors.Select((t, i) => new SafetensorsWriter.Entry($"layer{i}.w", t.Shape, t.Data)).ToArray();
            var meta = f.Meta.Length == 0 ? null : new Dictionary<string, string> { ["format"] = f.Meta };
            byte[] bytes = SafetensorsWriter.ToBytes(entries, meta);
            using var read = SafetensorsFile.Open(new MemoryStream(bytes), "round-trip", bytes.Length);
            Assert.Equal(entries.Length, read.Tensors.Count);
            foreach (var e in entries)
            {
                Assert.True(read.TryGet(e.Name, out var info));
                Assert.Equal(e.Shape, info.Shape);
                Assert.Equal(Bits(e.Data.ToArray()), Bits(read.ReadFloat32(info)));
            }
            if (meta is not null) Assert.Equal(f.Meta, read.Metadata["format"]);
        }).Check(MutationPropertyTests.Fixed("safetensors-round-trip", 200));
    }

    [Fact]
    public void Npy_written_read_back_bit_for_bit()
    {
        var arrays =
            from rank in Gen.Choose(0, 3)
            from shape in Shape(rank, 6)
            from data in Gen.ArrayOf(AnyFloat, shape.Aggregate(1, (a, b) => a * b))
            select new NpyArray(shape, data);
        Prop.ForAll(Arb.From(arrays), a =>
        {
            var back = NpyFile.Parse(NpyFile.ToBytes(a), "round-trip.npy");
            Assert.Equal(a.Shape, back.Shape);
            Assert.Equal(Bits(a.Data), Bits(back.Data));
        }).Check(MutationPropertyTests.Fixed("npy-round-trip", 200));
    }

    [Fact]
    public void A_state_file_saved_after_random_inputs_restores_the_same_state_and_step_count()
    {
        var model = shared.Fixtures.Model("models/gru-attention-ecg");
        var inputs = Gen.ArrayOf(Gen.Choose(-3000, 3000).Select(i => i / 1000f));
        string path = Path.Combine(shared.Fixtures.Scratch, "round-trip-state.safetensors");
        Prop.ForAll(Arb.From(inputs), xs =>
        {
            using var a = model.CreateStream();
            var y = new float[model.OutputSize];
            foreach (float x in xs) a.Step([x], y);
            a.SaveState(path);
            using var b = model.CreateStream();
            b.LoadState(path);
            Assert.Equal(a.StepCount, b.StepCount);
            Assert.Equal(a.Snapshot().Bytes, b.Snapshot().Bytes);
        }).Check(MutationPropertyTests.Fixed("state-round-trip", 60));
    }

    [Fact]
    public void A_voice_saved_after_random_codes_is_the_memory_a_stream_starts_from_when_loaded()
    {
        var model = shared.Fixtures.Model("tests/fixtures/speech/tts-tiny");
        var codes = Gen.ArrayOf(Gen.Choose(0, 255), 12);
        string first = Path.Combine(shared.Fixtures.Scratch, "round-trip-voice.safetensors");
        string second = Path.Combine(shared.Fixtures.Scratch, "round-trip-voice-again.safetensors");
        Prop.ForAll(Arb.From(codes), cs =>
        {
            using var a = model.CreateStream();
            a.GetFeature<ITextConditioning>()!.SetText("a voice.");
            var y = new float[model.OutputSize];
            foreach (int c in cs) a.Step([c], y);
            a.GetFeature<IVoiceConditioning>()!.SaveVoice(first);
            // A fresh stream given the voice holds that memory before its first step: saved again, the same tensors.
            using var b = model.CreateStream();
            b.GetFeature<IVoiceConditioning>()!.LoadVoice(first);
            b.GetFeature<IVoiceConditioning>()!.SaveVoice(second);
            using var fa = SafetensorsFile.Open(first);
            using var fb = SafetensorsFile.Open(second);
            Assert.Equal(fa.Tensors.Select(t => t.Name), fb.Tensors.Select(t => t.Name));
            foreach (var t in fa.Tensors)
            {
                Assert.True(fb.TryGet(t.Name, out var u));
                Assert.Equal(Bits(fa.ReadFloat32(t)), Bits(fb.ReadFloat32(u)));
            }
        }).Check(MutationPropertyTests.Fixed("voice-round-trip", 20));
    }

    [Fact]
    public void Wav_written_by_the_sink_reads_back_within_16_bit_quantisation()
    {
        var clips =
            from rate in Gen.Elements(8000, 16000, 22050, 24000, 48000)
            from samples in Gen.ArrayOf(Gen.Choose(-32000, 32000).Select(i => i / 32768f))
            select (Rate: rate, Samples: samples);
        string path = Path.Combine(shared.Fixtures.Scratch, "round-trip.wav");
        Prop.ForAll(Arb.From(clips), c =>
        {
            using (var sink = new WavAudioSink(path, c.Rate)) sink.Write(c.Samples);
            var back = WavReader.ReadMono(path);
            Assert.Equal(c.Rate, back.SampleRate);
            Assert.Equal(c.Samples.Length, back.Samples.Length);
            for (int i = 0; i < c.Samples.Length; i++) Assert.Equal(c.Samples[i], back.Samples[i], 1f / 32768);
        }).Check(MutationPropertyTests.Fixed("wav-round-trip", 100));
    }

    private static int[] Bits(float[] xs) => xs.Select(BitConverter.SingleToInt32Bits).ToArray();
}
