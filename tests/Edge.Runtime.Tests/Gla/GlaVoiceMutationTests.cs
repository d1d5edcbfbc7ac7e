using System.Buffers.Binary;
using System.Text;
using Edge.Streams;

namespace Edge.Runtime.Tests.Gla;

/// <summary>Voice files from a mutation run of the CLI: clean InvalidState errors, in time linear in the header.</summary>
public sealed class GlaVoiceMutationTests : IDisposable
{
    private readonly TempFolder _tmp = new();
    private readonly EdgeModel _model = EdgeModel.Load(RepoPaths.Fixtures("gla", "h1-noconv-sin"));

    public void Dispose()
    {
        _model.Dispose();
        _tmp.Dispose();
    }

    private string Write(byte[] header)
    {
        string path = _tmp.File(Guid.NewGuid().ToString("N") + ".safetensors");
        var b = new byte[8 + header.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(b, (ulong)header.Length);
        header.CopyTo(b, 8);
        File.WriteAllBytes(path, b);
        return path;
    }

    private EdgeException Refused(string path)
    {
        using var stream = _model.CreateStream();
        return Assert.Throws<EdgeException>(() => stream.GetFeature<IVoiceConditioning>()!.LoadVoice(path));
    }

    [Fact]
    public void Invalid_utf8_in_a_voice_file_header_is_a_clean_error()
    {
        var header = Encoding.UTF8.GetBytes("{\"__metadata__\":{\"format\":\"edge-voice\",\"model_sha256\":\"__\"}}");
        header[^5] = 0xED;   // ED A0: the start of an encoded surrogate, never valid UTF-8
        header[^4] = 0xA0;
        var e = Refused(Write(header));
        Assert.Equal(EdgeErrorCode.InvalidSafetensors, e.Code);
        Assert.Contains("not valid UTF-8", e.Message);
    }

    [Fact]
    public void Voice_file_with_60000_zero_size_tensors_is_refused_naming_one_it_does_not_know()
    {
        var header = "{" + string.Join(",", Enumerable.Range(0, 60_000).Select(i => $"\"x{i}\":{{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}")) + "}";
        var e = Refused(Write(Encoding.UTF8.GetBytes(header)));
        Assert.Equal(EdgeErrorCode.InvalidState, e.Code);
        Assert.Contains("no layer0_k/layer0_v (nor layer0)", e.Message);
    }
}
