using Edge.Onnx.Providers;
using Edge.Onnx.Sessions;
using Edge.Streams;

namespace Edge.Onnx.Tests;

/// <summary>Asking for an execution provider this build or machine lacks: one clear line, or the announced fallback.</summary>
public sealed class ProviderTests
{
    private static readonly string Package = Repo.Full(Repo.GruW0);

    public static TheoryData<ExecutionProvider> Missing()
    {
        var offered = ExecutionProviders.Available();
        var data = new TheoryData<ExecutionProvider>();
        foreach (var ep in new[] { ExecutionProvider.Cuda, ExecutionProvider.Dml })
        {
            if (!offered.Contains(ep.OrtName())) data.Add(ep);
        }
        return data;
    }

    [Fact]
    public void The_default_build_offers_the_cpu_provider()
    {
        Assert.Contains("CPUExecutionProvider", ExecutionProviders.Available());
        Assert.Matches(@"^\d+\.\d+", ExecutionProviders.OrtVersion());
    }

    [Theory]
    [MemberData(nameof(Missing))]
    public void A_missing_provider_is_a_one_line_backend_unavailable_error(ExecutionProvider ep)
    {
        var backend = new OnnxBackend(new OnnxBackendOptions { Providers = [ep], Source = $"--ep {ep.ShortName()}" });
        var e = Assert.Throws<EdgeException>(() => EdgeModel.Load(Package, new EdgeModelOptions { Backend = backend }));
        Assert.Equal(EdgeErrorCode.BackendUnavailable, e.Code);
        Assert.DoesNotContain('\n', e.Message);
        Assert.StartsWith($"--ep {ep.ShortName()}: execution provider {ep.ShortName()} is unavailable", e.Message);
        Assert.Contains($"-p:EdgeOnnxRuntime={ep.ShortName()}", e.Message);
        Assert.Contains("CPU execution provider", e.Message);
    }

    [Theory]
    [MemberData(nameof(Missing))]
    public void With_fallback_allowed_it_runs_on_the_cpu_and_says_so(ExecutionProvider ep)
    {
        var heard = new List<string>();
        var profile = new DeviceProfile("test-gpu", [ep.ShortName(), "cpu"], AllowFallback: true, IntraOpThreads: 1, AllowSpinning: false, DeviceId: 0);
        var backend = new OnnxBackend(OnnxBackendOptions.FromProfile(profile, announce: heard.Add));
        using var model = EdgeModel.Load(Package, new EdgeModelOptions { Backend = backend });

        Assert.Equal("onnx:cpu", model.BackendName);
        var notice = Assert.Single(heard);
        Assert.Equal(notice, Assert.Single(((OnnxStepModel)model.StepModel).Notices));
        Assert.StartsWith($"execution provider {ep.ShortName()} is unavailable", notice);
        Assert.EndsWith("the ONNX backend falls back to cpu as device profile test-gpu allows.", notice);
        using var stream = model.CreateStream();
        stream.Step(new float[3], new float[2]);
    }

    [Theory]
    [MemberData(nameof(Missing))]
    public void Fallback_is_implied_to_the_cpu_when_the_profile_lists_only_the_gpu(ExecutionProvider ep)
    {
        var profile = new DeviceProfile("gpu-only", [ep.ShortName()], AllowFallback: true, IntraOpThreads: 1, AllowSpinning: false, DeviceId: 0);
        using var model = EdgeModel.Load(Package, new EdgeModelOptions { Backend = new OnnxBackend(OnnxBackendOptions.FromProfile(profile)) });
        Assert.Equal("onnx:cpu", model.BackendName);
    }

    [Fact]
    public void The_requested_provider_goes_first_and_a_strict_profile_tries_only_it()
    {
        var loose = new DeviceProfile("p", ["cuda", "cpu"], true, 2, true, 1);
        var o = OnnxBackendOptions.FromProfile(loose, ExecutionProvider.Dml);
        Assert.Equal([ExecutionProvider.Dml, ExecutionProvider.Cuda, ExecutionProvider.Cpu], o.Order());
        Assert.Equal(2, o.IntraOpThreads);
        Assert.True(o.AllowSpinning);
        Assert.Equal(1, o.DeviceId);

        var strict = loose with { AllowFallback = false };
        Assert.Equal([ExecutionProvider.Dml], OnnxBackendOptions.FromProfile(strict, ExecutionProvider.Dml).Order());
    }

    [Fact]
    public void Every_committed_device_profile_loads()
    {
        var files = Directory.GetFiles(Path.Combine(Repo.Root, "device-profiles"), "*.json").Where(f => !f.EndsWith("schema.json", StringComparison.Ordinal)).ToList();
        Assert.True(files.Count >= 3);
        foreach (var f in files)
        {
            var p = DeviceProfile.Load(f);
            Assert.Equal(Path.GetFileNameWithoutExtension(f), p.Name);
            Assert.False(p.AllowSpinning);
            var o = OnnxBackendOptions.FromProfile(p);
            Assert.Equal(p.ExecutionProviders.Count, o.Providers.Count);
        }
    }

    [Fact]
    public void Threads_and_spinning_from_the_profile_still_run_the_model()
    {
        var profile = DeviceProfile.Load(Path.Combine(Repo.Root, "device-profiles", "linux-x64-cpu.json")) with { IntraOpThreads = 2, AllowSpinning = true };
        using var model = EdgeModel.Load(Package, new EdgeModelOptions { Backend = new OnnxBackend(OnnxBackendOptions.FromProfile(profile)) });
        using var stream = model.CreateStream();
        stream.Step(new float[3], new float[2]);
    }
}
