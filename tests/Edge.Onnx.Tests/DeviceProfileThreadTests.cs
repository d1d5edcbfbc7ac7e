using Edge.Onnx.Providers;
using Edge.Streams;

namespace Edge.Onnx.Tests;

/// <summary>
/// Thread counts from a mutation run of the CLI: ONNX Runtime waits forever when it cannot create the
/// intra-op threads asked for (1024 under a 4 GB address-space limit), so they are refused before a session starts.
/// </summary>
public class DeviceProfileThreadTests
{
    private static readonly string Package = Repo.Full(Repo.GruW0);

    private static string Profile(int threads) => $$"""
        { "execution_providers": ["cpu"], "intra_op_threads": {{threads}} }
        """;

    [Fact]
    public void Device_profile_with_intra_op_threads_1024_is_refused_with_a_clear_error()
    {
        var e = Assert.Throws<EdgeException>(() => DeviceProfile.Parse(Profile(1024), "big.json"));
        Assert.Equal(EdgeErrorCode.InvalidConfig, e.Code);
        Assert.Equal($"big.json: 'intra_op_threads' is 1024; it must be between 0 and {DeviceProfile.MaxIntraOpThreads}.", e.Message);
        Assert.Equal(DeviceProfile.MaxIntraOpThreads, DeviceProfile.Parse(Profile(DeviceProfile.MaxIntraOpThreads), "max.json").IntraOpThreads);
    }

    [Fact]
    public void Intra_op_threads_over_4_per_core_are_refused_before_a_session_starts()
    {
        int max = OnnxBackendOptions.MaxIntraOpThreads;
        Assert.Equal(Math.Min(4 * Environment.ProcessorCount, DeviceProfile.MaxIntraOpThreads), max);
        var options = new OnnxBackendOptions { IntraOpThreads = max + 1, Source = "device profile many" };
        var e = Assert.Throws<EdgeException>(() => EdgeModel.Load(Package, new EdgeModelOptions { Backend = new OnnxBackend(options) }));
        Assert.Equal(EdgeErrorCode.InvalidConfig, e.Code);
        Assert.Contains($"device profile many: {max + 1} intra-op threads on a machine with {Environment.ProcessorCount} cores", e.Message);
    }
}
