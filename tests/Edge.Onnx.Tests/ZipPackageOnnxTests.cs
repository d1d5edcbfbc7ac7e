using System.IO.Compression;
using Edge.Streams;

namespace Edge.Onnx.Tests;

/// <summary>A zipped package gives ONNX Runtime its step graph from memory (a zip has no file path), read lazily and bounded.</summary>
public class ZipPackageOnnxTests
{
    [Fact]
    public void A_zipped_package_runs_on_the_onnx_backend_as_its_folder_does()
    {
        using var tmp = new TempFolder();
        string zip = tmp.File("gru.zip");
        ZipFile.CreateFromDirectory(Repo.Full(Repo.GruW3), zip, CompressionLevel.Optimal, includeBaseDirectory: true);
        using var fromFolder = EdgeModel.Load(Repo.Full(Repo.GruW3), new EdgeModelOptions { Backend = TestBackends.Onnx() });
        using var fromZip = EdgeModel.Load(zip, new EdgeModelOptions { Backend = TestBackends.Onnx() });
        Assert.Equal(fromFolder.Package.Sha256, fromZip.Package.Sha256);
        using var a = fromFolder.CreateStream();
        using var b = fromZip.CreateStream();
        var rng = new Random(4);
        var oa = new float[fromFolder.OutputSize];
        var ob = new float[fromZip.OutputSize];
        for (int t = 0; t < 10; t++)
        {
            var x = Rand.Uniform(rng, fromFolder.InputSize, 2f);
            a.Step(x, oa);
            b.Step(x, ob);
            Assert.Equal(oa, ob);
        }
    }
}
