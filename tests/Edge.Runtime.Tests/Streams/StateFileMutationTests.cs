using System.Buffers.Binary;
using System.Text;
using Edge.Runtime.Tests.GruAttention;
using Edge.Streams;

namespace Edge.Runtime.Tests.Streams;

/// <summary>State files from a mutation run of the CLI: clean InvalidState errors.</summary>
public sealed class StateFileMutationTests : IDisposable
{
    private readonly TempFolder _tmp = new();
    private readonly TestPackage _pkg = GruAttentionSpec.Random(8, 2, 4, 1, 3, 1, 0, false).Write();

    public void Dispose()
    {
        _pkg.Dispose();
        _tmp.Dispose();
    }

    [Fact]
    public void Invalid_utf8_in_a_state_file_header_is_InvalidState()
    {
        using var model = EdgeModel.Load(_pkg.Folder);
        using var stream = model.CreateStream();
        string good = _tmp.File("good.safetensors");
        stream.SaveState(good);
        var bytes = File.ReadAllBytes(good);
        int at = Encoding.ASCII.GetString(bytes).IndexOf("edge-state", StringComparison.Ordinal);
        bytes[at] = 0xC0;   // an overlong lead byte: never valid UTF-8
        string bad = _tmp.File("bad.safetensors");
        File.WriteAllBytes(bad, bytes);
        var e = Assert.Throws<EdgeException>(() => stream.LoadState(bad));
        Assert.Equal(EdgeErrorCode.InvalidState, e.Code);
        Assert.Contains("not valid UTF-8", e.Message);
        Assert.Contains("bad.safetensors", e.Message);
    }

    [Fact]
    public void Empty_state_file_path_is_InvalidArgument()
    {
        using var model = EdgeModel.Load(_pkg.Folder);
        using var stream = model.CreateStream();
        Assert.Equal(EdgeErrorCode.InvalidArgument, Assert.Throws<EdgeException>(() => stream.LoadState("")).Code);
        Assert.Equal(EdgeErrorCode.InvalidArgument, Assert.Throws<EdgeException>(() => stream.SaveState("")).Code);
    }
}
