using System.IO.Compression;
using Edge.Streams;

namespace Edge.Fuzz.Targets;

/// <summary>A zipped model package, loaded as a user's <c>--model PKG.zip</c> is.</summary>
public sealed class PackageZipTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "package-zip";

    /// <inheritdoc />
    public override string Parses => "EdgeModel.Load of a .zip package";

    /// <inheritdoc />
    public override IEnumerable<FuzzSeed> Seeds(FuzzFixtures fixtures)
    {
        yield return new("gru-attention-ecg", Zip(fixtures, "models/gru-attention-ecg", "model.json", "weights.safetensors", "step.onnx"));
    }

    /// <inheritdoc />
    public override void Run(byte[] input, FuzzFixtures fixtures)
    {
        using var model = EdgeModel.Load(fixtures.WriteFile("fuzz-package.zip", input));
        using var stream = model.CreateStream();
    }

    private static byte[] Zip(FuzzFixtures fixtures, string folder, params string[] files)
    {
        var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (string f in files)
            {
                var entry = zip.CreateEntry(f, CompressionLevel.Optimal);
                entry.LastWriteTime = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);   // the same bytes on every run
                using var to = entry.Open();
                using var from = File.OpenRead(fixtures.Repo(folder, f));
                from.CopyTo(to);
            }
        }
        return buffer.ToArray();
    }
}
