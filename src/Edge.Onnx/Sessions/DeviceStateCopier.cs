using Edge.Onnx.Providers;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Onnx.Sessions;

/// <summary>
/// Copies a whole state between host buffers and the device tensors a GPU session keeps it in, by running
/// <see cref="IdentityGraph"/> on the same execution provider. Used by Reset, snapshots and state files, never by Step.
/// Thread-safe: each copy has its own binding.
/// </summary>
internal sealed class DeviceStateCopier : IDisposable
{
    private readonly OnnxSession _session;
    private readonly RunOptions _run = new();

    public DeviceStateCopier(IReadOnlyList<long[]> shapes, ExecutionProvider provider, OnnxBackendOptions options)
    {
        var strict = new OnnxBackendOptions
        {
            Providers = [provider],
            IntraOpThreads = options.IntraOpThreads,
            AllowSpinning = options.AllowSpinning,
            DeviceId = options.DeviceId,
            Source = options.Source,
        };
        byte[] model = IdentityGraph.Build(shapes);
        _session = SessionFactory.Open("state copy graph", null, () => model, strict, optimize: false);
    }

    /// <summary>Copies <paramref name="from"/>[k] into <paramref name="to"/>[k] for every k (same shapes; any devices).</summary>
    public void Copy(IReadOnlyList<OrtValue> from, IReadOnlyList<OrtValue> to)
    {
        OrtCall.Guard(() =>
        {
            using var binding = _session.Session.CreateIoBinding();
            for (int k = 0; k < from.Count; k++)
            {
                binding.BindInput(IdentityGraph.InputName(k), from[k]);
                binding.BindOutput(IdentityGraph.OutputName(k), to[k]);
            }
            binding.SynchronizeBoundInputs();
            _session.Session.RunWithBinding(_run, binding);
            binding.SynchronizeBoundOutputs();
        }, "while copying the state to or from the device");
    }

    public void Dispose()
    {
        _run.Dispose();
        _session.Dispose();
    }
}
