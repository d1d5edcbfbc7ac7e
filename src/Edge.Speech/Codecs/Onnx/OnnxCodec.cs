using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Edge.Speech.Codecs.Onnx;

/// <summary>
/// A codec whose decoder is a user's ONNX graph (WavTokenizer-style): codes int64 [1, n_quant, T] in, audio float
/// [1, 1, T·hop] or [1, T·hop] out, T symbolic. Decoding streams by windows of frames with left context and a bounded
/// look-ahead, cross-fading the overlaps. One ONNX Runtime session (CPU, one thread) is shared by every decoder.
/// </summary>
public sealed class OnnxCodec : ISpeechCodec, IDisposable
{
    private OnnxCodec(OnnxCodecConfig config, InferenceSession session, string output, int outputRank, string where)
    {
        Config = config;
        Session = session;
        OutputName = output;
        OutputRank = outputRank;
        GraphName = where;
    }

    /// <inheritdoc />
    public string Kind => "onnx";

    /// <inheritdoc />
    public int SampleRate => Config.SampleRate;

    /// <inheritdoc />
    public int SamplesPerFrame => Config.Hop;

    /// <inheritdoc />
    public int Quantizers => Config.Quantizers;

    /// <inheritdoc />
    public int CodebookSize => Config.CodebookSize;

    /// <summary>A frame waits for the rest of its block and the look-ahead after it: block - 1 + lookahead frames.</summary>
    public int LookaheadFrames => Config.Block - 1 + Config.Lookahead;

    internal OnnxCodecConfig Config { get; }

    internal InferenceSession Session { get; }

    internal string OutputName { get; }

    internal int OutputRank { get; }

    internal string GraphName { get; }

    /// <inheritdoc />
    public ICodecDecoder CreateDecoder() => new OnnxCodecDecoder(this);

    /// <summary>Always null: an ONNX codec brings only its decoder.</summary>
    public ICodecEncoder? CreateEncoder() => null;

    /// <summary>Frees the ONNX Runtime session; decoders made from it must be disposed first.</summary>
    public void Dispose() => Session.Dispose();

    internal static ISpeechCodec Load(CodecFolder folder, CodecJson json)
    {
        var config = OnnxCodecConfig.Read(json);
        string where = folder.Display(config.Graph);
        string? path = folder.TryGetPath(config.Graph);
        byte[]? bytes = path is not null && File.Exists(path) ? null : folder.ReadAllBytes(config.Graph, CodecFolder.MaxFileBytes);
        Fail.If(bytes is null && new FileInfo(path!).Length > CodecFolder.MaxFileBytes, EdgeErrorCode.InvalidPackage,
            $"{where}: over the {CodecFolder.MaxFileBytes}-byte limit for a codec graph.");
        var options = new SessionOptions
        {
            IntraOpNumThreads = 1,   // the codec shares the CPU with the model that feeds it
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
        };
        InferenceSession session;
        try
        {
            session = bytes is null ? new InferenceSession(path!, options) : new InferenceSession(bytes, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new EdgeException(EdgeErrorCode.InvalidPackage, $"{where}: ONNX Runtime cannot load this graph: {FirstLine(e.Message)}. Export it again (opset 17) or check it with onnx.checker.", e);
        }
        finally
        {
            options.Dispose();
        }
        try
        {
            var (output, rank) = CheckInterface(session, config, where);
            return new OnnxCodec(config, session, output, rank, where);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    // The graph must be the interface codec.json promises; refused here, not at the first Run.
    private static (string Output, int Rank) CheckInterface(InferenceSession session, OnnxCodecConfig c, string where)
    {
        string expected = $"codes int64 [1, {c.Quantizers}, T] in, audio float [1, 1, T*{c.Hop}] out";
        var inputs = session.InputMetadata;
        Fail.If(inputs.Count != 1 || !inputs.ContainsKey(c.Input), EdgeErrorCode.InvalidPackage,
            $"{where}: the graph's inputs are {string.Join(", ", inputs.Keys)}; a codec graph has one input '{c.Input}' ({expected}). Rename it or set codec.json 'input'.");
        var m = inputs[c.Input];
        Fail.If(m.ElementDataType != TensorElementType.Int64, EdgeErrorCode.InvalidPackage,
            $"{where}: input '{c.Input}' is {m.ElementDataType}; it must be int64 ({expected}).");
        int[] d = m.Dimensions;
        Fail.If(d.Length != 3 || d[0] > 1 || (d[1] >= 0 && d[1] != c.Quantizers) || d[2] >= 0, EdgeErrorCode.InvalidPackage,
            $"{where}: input '{c.Input}' has shape {Describe(m)}; it must be [1, {c.Quantizers}, T] with T symbolic ({expected}).");

        var outputs = session.OutputMetadata;
        string output = c.Output ?? (outputs.Count == 1 ? outputs.Keys.First() : "");
        Fail.If(!outputs.ContainsKey(output), EdgeErrorCode.InvalidPackage,
            $"{where}: the graph's outputs are {string.Join(", ", outputs.Keys)}; name the audio one in codec.json 'output'.");
        var o = outputs[output];
        Fail.If(o.ElementDataType != TensorElementType.Float, EdgeErrorCode.InvalidPackage,
            $"{where}: output '{output}' is {o.ElementDataType}; it must be float ({expected}).");
        int[] od = o.Dimensions;
        bool ok = od.Length switch
        {
            3 => od[0] <= 1 && od[1] <= 1 && od[2] < 0,
            2 => od[0] <= 1 && od[1] < 0,
            _ => false,
        };
        Fail.If(!ok, EdgeErrorCode.InvalidPackage, $"{where}: output '{output}' has shape {Describe(o)}; it must be [1, 1, T*{c.Hop}] or [1, T*{c.Hop}] with the length symbolic.");
        return (output, od.Length);
    }

    private static string Describe(NodeMetadata m)
        => "[" + string.Join(", ", m.Dimensions.Select((v, i) => v >= 0 ? v.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : i < m.SymbolicDimensions.Length && m.SymbolicDimensions[i].Length > 0 ? m.SymbolicDimensions[i] : "?")) + "]";

    internal static string FirstLine(string message)
    {
        string line = message.Split('\n')[0].Trim();
        int at = line.LastIndexOf(" : ", StringComparison.Ordinal);
        return at >= 0 && line.Contains("[ONNXRuntimeError]", StringComparison.Ordinal) ? line[(at + 3)..] : line;
    }
}
