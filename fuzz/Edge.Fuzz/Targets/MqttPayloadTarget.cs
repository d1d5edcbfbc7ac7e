using Edge.Sensors.Mqtt;

namespace Edge.Fuzz.Targets;

/// <summary>An MQTT sensor message's payload: a number, or JSON with a value and a time. Never throws; a bad one is a reason.</summary>
public sealed class MqttPayloadTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "mqtt-payload";

    /// <inheritdoc />
    public override string Parses => "MqttPayload.TryParse";

    /// <inheritdoc />
    public override IEnumerable<FuzzSeed> Seeds(FuzzFixtures fixtures)
    {
        yield return new("number", "50.125"u8.ToArray());
        yield return new("json", """{"value": -1.5e-3, "time": "2026-12-01T10:00:00Z"}"""u8.ToArray());
        yield return new("json-unix-time", """{"value": 3, "time": 1764583200.5}"""u8.ToArray());
    }

    /// <inheritdoc />
    public override void Run(byte[] input, FuzzFixtures fixtures)
    {
        bool ok = MqttPayload.TryParse(input, out double value, out _, out string? problem);
        if (ok && !double.IsFinite(value)) throw new InvalidOperationException($"MqttPayload accepted a non-finite value {value}.");
        if (!ok && string.IsNullOrEmpty(problem)) throw new InvalidOperationException("MqttPayload refused a payload without saying why.");
    }
}
