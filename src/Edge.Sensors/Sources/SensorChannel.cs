namespace Edge.Sensors;

/// <summary>One quantity a source measures: its name (as a user reads it in a log or a CSV header) and its unit.</summary>
/// <param name="Name">The channel's name, e.g. <c>laser.bias_current</c>.</param>
/// <param name="Unit">The unit of <see cref="SensorSample.Value"/>, e.g. <c>A</c>, <c>V</c>, <c>degC</c>, <c>g</c>.</param>
public sealed record SensorChannel(string Name, string Unit);
