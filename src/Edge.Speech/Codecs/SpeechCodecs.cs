using Edge.Packages;
using Edge.Speech.Codecs.MelVq;
using Edge.Speech.Codecs.Onnx;

namespace Edge.Speech.Codecs;

/// <summary>
/// Opens the codec of a voice package: model.json's <c>"codec"</c> key names a folder whose <c>codec.json</c>
/// says the codec's <c>kind</c>; everything in the folder is validated before a decoder can run.
/// </summary>
public static class SpeechCodecs
{
    /// <summary>The kinds this runtime reads, with the loader of each.</summary>
    private static readonly (string Kind, Func<CodecFolder, CodecJson, ISpeechCodec> Load)[] Kinds =
    [
        ("mel-vq", MelVqCodec.Load),
        ("onnx", OnnxCodec.Load),
    ];

    /// <summary>The codec kinds <see cref="Load(ModelPackage)"/> accepts.</summary>
    public static IReadOnlyList<string> KnownKinds { get; } = Kinds.Select(k => k.Kind).ToArray();

    /// <summary>Loads the codec folder that model.json's <c>"codec"</c> key names.</summary>
    public static ISpeechCodec Load(ModelPackage package)
    {
        ArgumentNullException.ThrowIfNull(package);
        string? folder = package.GetFileName("codec");
        Fail.If(folder is null, EdgeErrorCode.InvalidPackage,
            $"{package.Path}/model.json: no 'codec' key. A voice package names its codec folder there, e.g. \"codec\": \"codec\".");
        return Load(CodecFolder.InPackage(package, folder));
    }

    /// <summary>Loads a codec folder on disk on its own (tools, tests, a codec shared by several voices).</summary>
    public static ISpeechCodec LoadFolder(string folder) => Load(CodecFolder.OnDisk(folder));

    private static ISpeechCodec Load(CodecFolder folder)
    {
        var json = CodecJson.Read(folder);
        string kind = json.Kind;
        foreach (var (k, load) in Kinds)
        {
            if (k == kind) return load(folder, json);
        }
        return Fail.With<ISpeechCodec>(EdgeErrorCode.InvalidPackage,
            $"{json.Where}: 'kind' is '{Edge.MessageText.Value(kind)}'; this runtime reads {string.Join(", ", KnownKinds)}.");
    }
}
