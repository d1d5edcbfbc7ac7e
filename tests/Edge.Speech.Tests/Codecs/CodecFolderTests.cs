using System.Text.Json.Nodes;
using Edge.Formats.Safetensors;
using Edge.Packages;
using Edge.Speech.Codecs;
using Edge.TestSupport;

namespace Edge.Speech.Tests.Codecs;

/// <summary>Broken codec folders are refused before use with one line that names the file, the key or tensor, and the fix.</summary>
public sealed class CodecFolderTests
{
    private static readonly int[] FilterbankShape = [80, 513], InverseShape = [513, 80];

    /// <summary>A copy of the default codec folder with codec.json and the tensors edited.</summary>
    private static TempFolder Folder(Action<JsonObject>? editJson = null, Func<List<SafetensorsWriter.RawEntry>, List<SafetensorsWriter.RawEntry>>? editTensors = null)
    {
        var folder = new TempFolder();
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(MelVqGolden.CodecFolder, "codec.json")))!.AsObject();
        editJson?.Invoke(json);
        File.WriteAllText(folder.File("codec.json"), json.ToJsonString());
        using var st = SafetensorsFile.Open(Path.Combine(MelVqGolden.CodecFolder, "codec.safetensors"));
        var tensors = st.Tensors.Select(t =>
        {
            var bytes = new byte[t.End - t.Begin];
            st.ReadRaw(t, bytes);
            return new SafetensorsWriter.RawEntry(t.Name, t.Shape, t.DType, bytes);
        }).ToList();
        if (editTensors is not null) tensors = editTensors(tensors);
        SafetensorsWriter.Write(folder.File("codec.safetensors"), SafetensorsWriter.ToRawBytes(tensors, null));
        return folder;
    }

    private static SafetensorsWriter.RawEntry Floats(string name, int[] shape, float fill)
    {
        var data = Enumerable.Repeat(fill, shape.Aggregate(1, (a, b) => a * b)).ToArray();
        return new SafetensorsWriter.RawEntry(name, shape, TensorDType.F32, System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()).ToArray());
    }

    private static List<SafetensorsWriter.RawEntry> Replace(List<SafetensorsWriter.RawEntry> list, SafetensorsWriter.RawEntry entry)
        => list.Select(e => e.Name == entry.Name ? entry : e).ToList();

    public static TheoryData<string, string[]> Broken => new()
    {
        { "kind", ["codec.json", "'kind' is 'wavlm'", "mel-vq, onnx"] },
        { "version", ["codec.json", "'version' is 2"] },
        { "n_fft", ["codec.json", "'n_fft' is 1000", "power of two"] },
        { "hop", ["codec.json", "'hop' is 600", "between 1 and 512"] },
        { "unknown key", ["codec.json", "unknown key 'lookahed'"] },
        { "missing key", ["codec.json", "required key 'iterations'"] },
        { "codebook shape", ["codec.safetensors", "'codebook'", "[255, 80]", "[256, 80]"] },
        { "codebook_size", ["codec.safetensors", "'codebook'", "[256, 80]", "[512, 80]"] },
        { "n_mels", ["codec.safetensors", "'codebook'", "[256, 64]"] },
        { "dtype", ["codec.safetensors", "'filterbank'", "F64", "F32"] },
        { "missing tensor", ["codec.safetensors", "'inverse' is missing"] },
        { "nan", ["codec.safetensors", "'inverse'", "non-finite"] },
        { "no tensors file", ["codec.safetensors", "missing"] },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void A_broken_folder_is_one_line_naming_what_is_wrong(string mutation, string[] expected)
    {
        using var folder = mutation switch
        {
            "kind" => Folder(j => j["kind"] = "wavlm"),
            "version" => Folder(j => j["version"] = 2),
            "n_fft" => Folder(j => j["n_fft"] = 1000),
            "hop" => Folder(j => j["hop"] = 600),
            "unknown key" => Folder(j => { j["lookahed"] = 3; }),
            "missing key" => Folder(j => j.Remove("iterations")),
            "codebook shape" => Folder(editTensors: t => Replace(t, Floats("codebook", [255, 80], -3f))),
            "codebook_size" => Folder(j => j["codebook_size"] = 512),
            "n_mels" => Folder(j => j["n_mels"] = 64),
            "dtype" => Folder(editTensors: t => Replace(t, new SafetensorsWriter.RawEntry("filterbank", FilterbankShape, TensorDType.F64, new byte[80 * 513 * 8]))),
            "missing tensor" => Folder(editTensors: t => t.Where(e => e.Name != "inverse").ToList()),
            "nan" => Folder(editTensors: t => Replace(t, Floats("inverse", InverseShape, float.NaN))),
            "no tensors file" => Folder(),
            _ => throw new ArgumentException(mutation),
        };
        if (mutation == "no tensors file") File.Delete(folder.File("codec.safetensors"));
        var e = Assert.Throws<EdgeException>(() => SpeechCodecs.LoadFolder(folder.Path));
        Assert.Equal(EdgeErrorCode.InvalidPackage, e.Code);
        Assert.DoesNotContain('\n', e.Message);
        foreach (string part in expected) Assert.Contains(part, e.Message);
    }

    [Fact]
    public void An_intact_copy_loads_with_the_numbers_of_its_json()
    {
        using var folder = Folder();
        var codec = SpeechCodecs.LoadFolder(folder.Path);
        Assert.Equal(("mel-vq", 16000, 320, 1, 256, 3), (codec.Kind, codec.SampleRate, codec.SamplesPerFrame, codec.Quantizers, codec.CodebookSize, codec.LookaheadFrames));
    }

    [Fact]
    public void A_package_names_its_codec_folder_in_model_json()
    {
        using var package = new TestPackage("gla-tts", new JsonObject(), [new SafetensorsWriter.Entry("w", [1], new float[1])], j => j["codec"] = "voice-codec");
        Directory.CreateDirectory(package.File("voice-codec"));
        foreach (string f in Directory.GetFiles(MelVqGolden.CodecFolder)) File.Copy(f, Path.Combine(package.File("voice-codec"), Path.GetFileName(f)));
        var codec = SpeechCodecs.Load(ModelPackage.Open(package.Folder));
        Assert.Equal("mel-vq", codec.Kind);
        using var decoder = codec.CreateDecoder();
        Assert.Equal(MelVqGolden.Decode(MelVqGolden.Codec.CreateDecoder(), MelVqGolden.Codes), MelVqGolden.Decode(decoder, MelVqGolden.Codes));
    }

    [Fact]
    public void A_package_without_a_codec_key_or_folder_is_refused()
    {
        using var none = new TestPackage("gla-tts", new JsonObject(), [new SafetensorsWriter.Entry("w", [1], new float[1])]);
        var e = Assert.Throws<EdgeException>(() => SpeechCodecs.Load(ModelPackage.Open(none.Folder)));
        Assert.Equal(EdgeErrorCode.InvalidPackage, e.Code);
        Assert.Contains("no 'codec' key", e.Message);

        using var empty = new TestPackage("gla-tts", new JsonObject(), [new SafetensorsWriter.Entry("w", [1], new float[1])], j => j["codec"] = "codec");
        e = Assert.Throws<EdgeException>(() => SpeechCodecs.Load(ModelPackage.Open(empty.Folder)));
        Assert.Equal(EdgeErrorCode.InvalidPackage, e.Code);
        Assert.Contains("codec/codec.json: missing", e.Message);

        using var outside = new TestPackage("gla-tts", new JsonObject(), [new SafetensorsWriter.Entry("w", [1], new float[1])], j => j["codec"] = "../codec");
        e = Assert.Throws<EdgeException>(() => SpeechCodecs.Load(ModelPackage.Open(outside.Folder)));
        Assert.Contains("relative path inside the package", e.Message);
    }
}
