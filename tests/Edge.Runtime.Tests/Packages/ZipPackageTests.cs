using System.IO.Compression;
using Edge.Runtime.Tests.GruAttention;
using Edge.Packages;
using Edge.Streams;

namespace Edge.Runtime.Tests.Packages;

/// <summary>Zipped packages: read lazily and never past what an entry declares, so a small zip cannot make us inflate or allocate gigabytes.</summary>
public sealed class ZipPackageTests : IDisposable
{
    private const long AllocationLimit = 64 << 20;
    private readonly TempFolder _tmp = new();
    private readonly GruAttentionSpec _spec = GruAttentionSpec.Random(17, 2, 8, 1, 4, 2, 0, false);

    public void Dispose() => _tmp.Dispose();

    // The package's files as a zip would hold them, from a package folder written the usual way.
    private ZipBuilder PackageFiles(Func<string, bool>? keep = null)
    {
        using var pkg = _spec.Write();
        var zip = new ZipBuilder();
        foreach (string f in Directory.GetFiles(pkg.Folder).Order())
        {
            if (keep?.Invoke(Path.GetFileName(f)) ?? true) zip.Add(Path.GetFileName(f), File.ReadAllBytes(f));
        }
        return zip;
    }

    private (EdgeException Error, long Allocated) Refused(ZipBuilder zip)
    {
        string path = _tmp.File(Guid.NewGuid().ToString("N") + ".zip");
        zip.Write(path);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var e = Assert.Throws<EdgeException>(() => EdgeModel.Load(path).Dispose());
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Single(e.Message.Split('\n'));
        return (e, allocated);
    }

    [Fact]
    public void A_zipped_package_gives_the_same_outputs_as_its_folder()
    {
        using var pkg = _spec.Write();
        string zip = _tmp.File("pkg.zip");
        ZipFile.CreateFromDirectory(pkg.Folder, zip);
        using var fromFolder = EdgeModel.Load(pkg.Folder);
        using var fromZip = EdgeModel.Load(zip);
        Assert.Equal(fromFolder.Package.Sha256, fromZip.Package.Sha256);
        using var a = fromFolder.CreateStream();
        using var b = fromZip.CreateStream();
        var rng = new Random(3);
        var oa = new float[2];
        var ob = new float[2];
        for (int t = 0; t < 20; t++)
        {
            var x = Rand.Uniform(rng, 2, 2f);
            a.Step(x, oa);
            b.Step(x, ob);
            Assert.Equal(oa, ob);
        }
    }

    [Fact]
    public void Extra_entry_inflating_to_1_5_GB_is_refused_without_inflating_it()
    {
        var (e, allocated) = Refused(PackageFiles().AddBomb("junk.bin", 1536));
        Assert.Equal(EdgeErrorCode.InvalidPackage, e.Code);
        Assert.Contains("'junk.bin'", e.Message);
        Assert.Contains("1610612736 bytes", e.Message);
        Assert.True(allocated < AllocationLimit, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Weights_entry_inflating_to_1_5_GB_is_refused_before_the_checksum_reads_it()
    {
        // model.json records the weights' sha256, so the old reader inflated all 1.5 GB to hash it.
        var (e, allocated) = Refused(PackageFiles(f => f != "weights.safetensors").AddBomb("weights.safetensors", 1536));
        Assert.Equal(EdgeErrorCode.InvalidPackage, e.Code);
        Assert.Contains("'weights.safetensors'", e.Message);
        Assert.True(allocated < AllocationLimit, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Entry_inflating_to_more_than_it_declares_is_refused_after_its_declared_size()
    {
        // Declares 4 KB, inflates to 1.5 GB: only the declared bytes (and one more) are ever inflated.
        var (e, allocated) = Refused(PackageFiles(f => f != "weights.safetensors").AddBomb("weights.safetensors", 1536, declared: 4096));
        Assert.Contains("weights.safetensors", e.Message);
        Assert.True(allocated < AllocationLimit, $"allocated {allocated} bytes");
    }

    private ZipBuilder PackageWithLyingWeights(long sizeError)
    {
        using var pkg = _spec.Write();
        var zip = new ZipBuilder();
        foreach (string f in Directory.GetFiles(pkg.Folder).Order())
            zip.Add(Path.GetFileName(f), File.ReadAllBytes(f), Path.GetFileName(f) == "weights.safetensors" ? sizeError : 0);
        return zip;
    }

    [Fact]
    public void Fuzz_finding_end_of_central_directory_miscounting_its_entries_is_InvalidPackage()
    {
        // Found by fuzz/Edge.Fuzz (package-zip): the zip opened, and reading its entries threw InvalidDataException.
        string path = _tmp.File("miscounted.zip");
        PackageFiles().Write(path);
        var bytes = File.ReadAllBytes(path);
        int eocd = bytes.Length - 22;   // the end-of-central-directory record of a zip without a comment
        Assert.Equal(0x06054b50u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(eocd)));
        bytes[eocd + 8]++;   // entries on this disk
        bytes[eocd + 10]++;  // entries in all
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<EdgeException>(() => EdgeModel.Load(path).Dispose());
        Assert.Equal(EdgeErrorCode.InvalidPackage, e.Code);
        Assert.Contains("central directory is corrupt", e.Message);
        Assert.Single(e.Message.Split('\n'));
    }

    [Fact]
    public void Entry_declaring_more_bytes_than_it_holds_is_InvalidPackage()
    {
        var (e, _) = Refused(PackageWithLyingWeights(+100));
        Assert.Equal(EdgeErrorCode.InvalidPackage, e.Code);
        Assert.Contains("'weights.safetensors' inflates to", e.Message);
        Assert.Contains("but its zip entry declares", e.Message);
    }

    [Fact]
    public void Entry_declaring_fewer_bytes_than_it_holds_is_read_only_to_its_declared_size()
    {
        // The weights end 100 bytes early, so the safetensors parser sees a truncated file.
        var (e, _) = Refused(PackageWithLyingWeights(-100));
        Assert.Equal(EdgeErrorCode.InvalidSafetensors, e.Code);
        Assert.Contains("weights.safetensors", e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Model_json_declaring_2_GB_is_refused_before_allocating()
    {
        var zip = PackageFiles(f => f != "model.json");
        using var pkg = _spec.Write();
        zip.Add("model.json", File.ReadAllBytes(pkg.File("model.json")), sizeError: (2L << 30) - 1 - new FileInfo(pkg.File("model.json")).Length);
        var (e, allocated) = Refused(zip);
        Assert.Equal(EdgeErrorCode.InvalidPackage, e.Code);
        Assert.Contains("'model.json'", e.Message);
        Assert.True(allocated < AllocationLimit, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Model_json_over_its_limit_in_a_zip_is_refused_naming_the_limit()
    {
        var zip = PackageFiles(f => f != "model.json");
        // Random letters: too big, but compressing like real data, so only the size limit refuses it.
        var rng = new Random(1);
        var big = new byte[ModelPackage.MaxModelJsonBytes + 1];
        for (int i = 0; i < big.Length; i++) big[i] = (byte)('a' + rng.Next(26));
        zip.Add("model.json", big);
        var (e, _) = Refused(zip);
        Assert.Equal(EdgeErrorCode.InvalidPackage, e.Code);
        Assert.Contains($"over the {ModelPackage.MaxModelJsonBytes}-byte limit", e.Message);
    }
}
