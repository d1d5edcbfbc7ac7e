using System.Text.Json;
using Edge.Onnx.Providers;
using Edge.Packages;

namespace Edge.Onnx.Tests;

/// <summary>A device profile's CPU side: backend order, precision, threads, batch limit, per-family overrides; written and read back unchanged.</summary>
public sealed class DeviceProfileCpuTests
{
    private const string Full = """
        {
          "name": "bench-box",
          "description": "a test profile",
          "backends": ["cpu", "onnx"],
          "execution_providers": ["cpu"],
          "intra_op_threads": 2,
          "cpu": { "precision": "int8", "threads": 0, "batch_limit": 16 },
          "families": {
            "gla-tts": { "precision": "q4", "threads": 2, "batch_limit": 8 },
            "cae": { "backend": "onnx" }
          },
          "measured": { "bandwidth_one_core_bytes_per_second": 1.5e10, "runs": [ { "family": "cae", "us_per_step_p50": 7.5 } ] }
        }
        """;

    [Fact]
    public void A_profile_written_and_read_back_is_the_same_profile()
    {
        var p = DeviceProfile.Parse(Full, "bench-box.json");
        Assert.Equal(["cpu", "onnx"], p.Backends);
        Assert.Equal(new CpuProfile(null, WeightPrecision.Int8, 0, 16), p.Cpu);
        Assert.Equal(new CpuProfile(null, WeightPrecision.Q4, 2, 8), p.Families["gla-tts"]);
        var back = DeviceProfile.Parse(p.ToJson(), "written.json");
        Assert.Equal(p, back);
        Assert.Equal(p.ToJson(), back.ToJson());
        Assert.Equal(7.5, back.Measured!.Value.GetProperty("runs")[0].GetProperty("us_per_step_p50").GetDouble());
    }

    [Fact]
    public void A_family_entry_overrides_the_profile_wide_settings_field_by_field_and_goes_first_in_the_backend_order()
    {
        var p = DeviceProfile.Parse(Full, "bench-box.json");
        Assert.Equal(new CpuProfile(null, WeightPrecision.Q4, 2, 8), p.CpuFor("gla-tts"));
        Assert.Equal(new CpuProfile("onnx", WeightPrecision.Int8, 0, 16), p.CpuFor("cae"));
        Assert.Equal(p.Cpu, p.CpuFor("aaren"));
        Assert.Equal(["onnx", "cpu"], p.BackendsFor("cae"));
        Assert.Equal(["cpu", "onnx"], p.BackendsFor("gla-tts"));
    }

    [Fact]
    public void A_profile_without_a_cpu_side_is_an_onnx_profile_with_the_cpu_defaults()
    {
        var p = DeviceProfile.Parse("""{"execution_providers": ["cpu"]}""", "old.json");
        Assert.Equal(["onnx"], p.Backends);
        Assert.Equal(new CpuProfile(null, null, 0, null), p.Cpu);   // the model decides its threads; no batch limit
        Assert.Empty(p.Families);
    }

    [Theory]
    [InlineData("""{"execution_providers": ["cpu"], "cpu": {"precision": "int9"}}""", "'precision' is 'int9'; it must be one of fp32, fp16, int8, q4")]
    [InlineData("""{"execution_providers": ["cpu"], "cpu": {"threads": -1}}""", "'threads' is -1; it must be between 0 and 256")]
    [InlineData("""{"execution_providers": ["cpu"], "cpu": {"batch_limit": 0}}""", "'batch_limit' is 0; it must be between 1 and 4096")]
    [InlineData("""{"execution_providers": ["cpu"], "cpu": {"threads": 2, "spin": true}}""", "unknown key 'spin'")]
    [InlineData("""{"execution_providers": ["cpu"], "cpu": {"backend": "cpu"}}""", "unknown key 'backend'")]
    [InlineData("""{"execution_providers": ["cpu"], "backends": ["gpu"]}""", "backend \"gpu\" is not one of cpu, onnx")]
    [InlineData("""{"execution_providers": ["cpu"], "backends": ["cpu", "cpu"]}""", "backend 'cpu' is listed twice")]
    [InlineData("""{"execution_providers": ["cpu"], "backends": []}""", "'backends' must be a non-empty array")]
    [InlineData("""{"execution_providers": ["cpu"], "families": ["gla-tts"]}""", "'families' must be an object")]
    [InlineData("""{"execution_providers": ["cpu"], "families": {"gla-tts": {"backend": "tpu"}}}""", "families.gla-tts: 'backend' is 'tpu'")]
    [InlineData("""{"execution_providers": ["cpu"], "cpu": 4}""", "cpu must be an object")]
    [InlineData("""{"execution_providers": ["cpu"], "measured": 3}""", "'measured' must be an object")]
    public void A_bad_cpu_setting_is_one_invalid_config_error_naming_the_file_and_the_fix(string json, string message)
    {
        var e = Assert.Throws<EdgeException>(() => DeviceProfile.Parse(json, "bad.json"));
        Assert.Equal(EdgeErrorCode.InvalidConfig, e.Code);
        Assert.Contains("bad.json", e.Message);
        Assert.Contains(message, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void The_raspberry_pi_and_laptop_profiles_run_the_cpu_kernels_first_at_int8()
    {
        foreach (string name in new[] { "raspberry-pi-5", "x64-avx2-laptop" })
        {
            var p = DeviceProfile.Load(Path.Combine(Repo.Root, "device-profiles", name + ".json"));
            Assert.Equal(["cpu", "onnx"], p.Backends);
            Assert.Equal(WeightPrecision.Int8, p.Cpu.Precision);
            Assert.Equal(0, p.Cpu.Threads);
            Assert.True(p.Cpu.BatchLimit > 1);
        }
        Assert.Equal(["onnx", "cpu"], DeviceProfile.Load(Path.Combine(Repo.Root, "device-profiles", "linux-x64-cuda.json")).Backends);
    }
}
