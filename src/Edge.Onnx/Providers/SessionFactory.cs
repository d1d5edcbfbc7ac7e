using Microsoft.ML.OnnxRuntime;

namespace Edge.Onnx.Providers;

/// <summary>
/// Opens ONNX Runtime sessions on the first execution provider of an order that starts, falling back only
/// when the options allow it, and always saying so. Disposes whatever it built when it fails.
/// </summary>
internal static class SessionFactory
{
    private static int s_logLevelSet;
    private static readonly OrtLoggingLevel s_logLevel = ReadLogLevel();

    /// <summary>Opens a graph from <paramref name="path"/>, or from <paramref name="bytes"/> when there is no file; <paramref name="name"/> names it in messages.</summary>
    public static OnnxSession Open(string name, string? path, Func<byte[]> bytes, OnnxBackendOptions options, bool optimize = true)
    {
        QuietNativeLog();
        var order = options.Order();
        var notices = new List<string>();
        for (int i = 0; i < order.Count; i++)
        {
            var ep = order[i];
            string? reason = NotInThisBuild(ep);
            bool inBuild = reason is null;
            SessionOptions? so = null;
            if (reason is null)
            {
                try
                {
                    so = CreateOptions(ep, options, optimize);
                    var session = path is not null ? new InferenceSession(path, so) : new InferenceSession(bytes(), so);
                    return new OnnxSession(session, so, ep, notices);
                }
                catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
                {
                    so?.Dispose();
                    if (ep == ExecutionProvider.Cpu)
                        throw new EdgeException(EdgeErrorCode.InvalidPackage,
                            $"{name}: ONNX Runtime cannot load this graph: {OrtCall.FirstLine(e.Message)}. Re-export it (opset 17) or check it with onnx.checker.", e);
                    reason = $"it failed to start: {OrtCall.FirstLine(e.Message)}";
                }
            }
            bool last = i == order.Count - 1;
            if (!options.AllowFallback || last)
                throw new EdgeException(EdgeErrorCode.BackendUnavailable,
                    $"{options.Source}: execution provider {ep.ShortName()} is unavailable: {reason}. {Hint(ep, inBuild)}; or use the CPU execution provider, or OnnxBackendOptions.AllowFallback (\"allow_fallback\": true in a device profile).");
            string notice = $"execution provider {ep.ShortName()} is unavailable ({reason}); the ONNX backend falls back to {order[i + 1].ShortName()} as {options.Source} allows.";
            notices.Add(notice);
            options.Announce?.Invoke(notice);
        }
        throw new InvalidOperationException("unreachable: the provider order is never empty.");
    }

    /// <summary>Session options for one provider with the thread settings; the caller owns the result.</summary>
    private static SessionOptions CreateOptions(ExecutionProvider ep, OnnxBackendOptions o, bool optimize)
    {
        QuietNativeLog();
        var so = new SessionOptions();
        try
        {
            so.LogSeverityLevel = s_logLevel;   // failures reach the user as one EdgeException line, not native log lines
            so.GraphOptimizationLevel = optimize ? GraphOptimizationLevel.ORT_ENABLE_ALL : GraphOptimizationLevel.ORT_DISABLE_ALL;
            so.ExecutionMode = ExecutionMode.ORT_SEQUENTIAL;
            so.IntraOpNumThreads = o.IntraOpThreads;
            so.InterOpNumThreads = 1;
            // Spinning workers shave microseconds off a step but keep a core busy and add jitter to every
            // other thread on a small device; the device profile decides.
            string spin = o.AllowSpinning ? "1" : "0";
            so.AddSessionConfigEntry("session.intra_op.allow_spinning", spin);
            so.AddSessionConfigEntry("session.inter_op.allow_spinning", spin);
            switch (ep)
            {
                case ExecutionProvider.Cuda:
                    AppendCuda(so, o.DeviceId);
                    break;
                case ExecutionProvider.Dml:
                    // DirectML requires these two (ONNX Runtime's DirectML documentation).
                    so.EnableMemoryPattern = false;
                    so.ExecutionMode = ExecutionMode.ORT_SEQUENTIAL;
                    so.AppendExecutionProvider_DML(o.DeviceId);
                    break;
            }
            return so;
        }
        catch
        {
            so.Dispose();
            throw;
        }
    }

    // TF32 matrix products (ONNX Runtime's CUDA default on Ampere and later) round to 10 bits of mantissa;
    // the ONNX backend must agree with the CPU backend to 1e-4, so steps run in full float32.
    private static void AppendCuda(SessionOptions so, int deviceId)
    {
        using var cuda = new OrtCUDAProviderOptions();
        cuda.UpdateOptions(new Dictionary<string, string>
        {
            ["device_id"] = deviceId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["use_tf32"] = "0",
        });
        so.AppendExecutionProvider_CUDA(cuda);
    }

    /// <summary>Why the loaded ONNX Runtime cannot offer <paramref name="ep"/> at all, or null when it lists it.</summary>
    private static string? NotInThisBuild(ExecutionProvider ep)
    {
        if (ep == ExecutionProvider.Cpu) return null;
        var offered = ExecutionProviders.Available();
        if (offered.Contains(ep.OrtName())) return null;
        string os = ep == ExecutionProvider.Dml && !OperatingSystem.IsWindows() ? "DirectML runs only on Windows, and " : "";
        return $"{os}this build of edge uses the {ExecutionProviders.BuildFlavour} ONNX Runtime package, which offers {string.Join(", ", offered.Select(Short))}";
    }

    // What to do: get a build that has the provider, or, when this build has it, the device and libraries it needs.
    private static string Hint(ExecutionProvider ep, bool inBuild) => (ep, inBuild) switch
    {
        (ExecutionProvider.Cuda, false) => "CUDA needs edge built with -p:EdgeOnnxRuntime=cuda (Microsoft.ML.OnnxRuntime.Gpu.Linux, linux-x64)",
        (ExecutionProvider.Cuda, true) => "CUDA needs an NVIDIA GPU with its driver (nvidia-smi lists it) and the CUDA 13 and cuDNN 9 libraries on the library path",
        (ExecutionProvider.Dml, false) => "DirectML needs edge built with -p:EdgeOnnxRuntime=dml (Microsoft.ML.OnnxRuntime.DirectML) on Windows",
        (ExecutionProvider.Dml, true) => "DirectML needs a DirectX 12 GPU and driver",
        _ => "the CPU provider is in every build; reinstall edge",
    };

    private static string Short(string ortName) => ortName.EndsWith("ExecutionProvider", StringComparison.Ordinal) ? ortName[..^"ExecutionProvider".Length] : ortName;

    // ONNX Runtime's default logger writes warnings and errors to stderr; Edge reports failures itself, in one line.
    // EDGE_ORT_LOG_LEVEL=verbose|info|warning|error brings the native log back for debugging a device.
    private static OrtLoggingLevel ReadLogLevel() => Environment.GetEnvironmentVariable("EDGE_ORT_LOG_LEVEL") switch
    {
        "verbose" => OrtLoggingLevel.ORT_LOGGING_LEVEL_VERBOSE,
        "info" => OrtLoggingLevel.ORT_LOGGING_LEVEL_INFO,
        "warning" => OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING,
        "error" => OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        _ => OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
    };

    private static void QuietNativeLog()
    {
        if (Interlocked.Exchange(ref s_logLevelSet, 1) == 1) return;
        OrtCall.Guard(() => OrtEnv.Instance().EnvLogLevel = s_logLevel, "while setting its log level");
    }
}
