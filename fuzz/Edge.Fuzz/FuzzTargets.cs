using Edge.Fuzz.Targets;

namespace Edge.Fuzz;

/// <summary>Every harness, one per parser of untrusted input.</summary>
public static class FuzzTargets
{
    /// <summary>All targets, in the order <c>edge-fuzz list</c> prints them.</summary>
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new SafetensorsTarget(), new StateFileTarget(), new VoiceFileTarget(), new ModelJsonTarget(), new PackageZipTarget(),
        new NpyTarget(), new CsvTarget(), new SensorCsvTarget(), new WavTarget(), new TokenizerTarget(),
        new DeviceProfileTarget(), new CodecFolderTarget(), new MonitorConfigTarget(), new MqttPayloadTarget(),
    ];

    /// <summary>The target named <paramref name="name"/>, or null.</summary>
    public static FuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
