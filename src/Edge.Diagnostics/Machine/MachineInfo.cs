using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Runtime.Intrinsics.Arm;

namespace Edge.Diagnostics;

/// <summary>What this machine offers the CPU backend: processor, cores, SIMD width and instruction sets.</summary>
public sealed record MachineInfo(string Cpu, int Cores, string Architecture, string Os, string Runtime, int VectorBits, IReadOnlyList<string> Isa)
{
    /// <summary>Reads the current machine.</summary>
    public static MachineInfo Current()
    {
        var isa = new List<string>();
        if (Sse41.IsSupported) isa.Add("SSE4.1");
        if (Avx.IsSupported) isa.Add("AVX");
        if (Avx2.IsSupported) isa.Add("AVX2");
        if (Fma.IsSupported) isa.Add("FMA");
        if (Avx512F.IsSupported) isa.Add("AVX-512F");
        if (AdvSimd.IsSupported) isa.Add("NEON");
        int bits = Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 0;
        return new MachineInfo(CpuName(), Environment.ProcessorCount, RuntimeInformation.ProcessArchitecture.ToString(),
            RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, bits, isa);
    }

    /// <summary>One line for reports: "AMD EPYC … (2 cores, X64, AVX2 FMA, 256-bit vectors)".</summary>
    public string Summary => $"{Cpu} ({Cores} cores, {Architecture}, {string.Join(' ', Isa)}, {VectorBits}-bit vectors)";

    private static string CpuName()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                foreach (var line in File.ReadLines("/proc/cpuinfo"))
                {
                    if (line.StartsWith("model name", StringComparison.Ordinal) || line.StartsWith("Model", StringComparison.Ordinal))
                        return line[(line.IndexOf(':') + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
        }
        return Environment.GetEnvironmentVariable("PROCESSOR_IDENTIFIER") ?? RuntimeInformation.ProcessArchitecture.ToString();
    }
}
