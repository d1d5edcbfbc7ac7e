using Edge.Onnx.Providers;

namespace Edge.Fuzz.Targets;

/// <summary>A device profile (<c>--profile F</c>).</summary>
public sealed class DeviceProfileTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "device-profile";

    /// <inheritdoc />
    public override string Parses => "DeviceProfile.Load (as a file)";

    /// <inheritdoc />
    public override IEnumerable<FuzzSeed> Seeds(FuzzFixtures fixtures) =>
        Directory.GetFiles(fixtures.Repo("device-profiles"), "*.json")
            .Where(f => Path.GetFileName(f) != "schema.json")
            .Order(StringComparer.Ordinal)
            .Select(f => new FuzzSeed(Path.GetFileNameWithoutExtension(f), File.ReadAllBytes(f)));

    /// <inheritdoc />
    public override void Run(byte[] input, FuzzFixtures fixtures) => DeviceProfile.Load(fixtures.WriteFile("fuzz-profile.json", input));
}
