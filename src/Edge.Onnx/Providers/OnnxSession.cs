using Microsoft.ML.OnnxRuntime;

namespace Edge.Onnx.Providers;

/// <summary>An ONNX Runtime session, the options it was made with (kept alive as long as it) and the execution provider that runs it.</summary>
internal sealed class OnnxSession : IDisposable
{
    public OnnxSession(InferenceSession session, SessionOptions options, ExecutionProvider provider, IReadOnlyList<string> notices)
    {
        Session = session;
        Options = options;
        Provider = provider;
        Notices = notices;
    }

    public InferenceSession Session { get; }

    public SessionOptions Options { get; }

    public ExecutionProvider Provider { get; }

    /// <summary>Fallbacks that happened while opening it, one line each.</summary>
    public IReadOnlyList<string> Notices { get; }

    public void Dispose()
    {
        Session.Dispose();
        Options.Dispose();
    }
}
