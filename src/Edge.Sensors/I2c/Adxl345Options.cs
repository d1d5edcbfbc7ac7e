namespace Edge.Sensors.I2c;

/// <summary>The measuring range and output rate of an ADXL345.</summary>
public sealed record Adxl345Options
{
    /// <summary>The default I2C address (ALT ADDRESS to ground); 0x1D with it high.</summary>
    public const int DefaultAddress = 0x53;

    /// <summary>A prefix for the channel names (e.g. <c>mount</c>); none by default.</summary>
    public string? Name { get; init; }

    /// <summary>The full-scale range in g: 2, 4, 8 or 16 (4 by default). Full-resolution mode keeps 3.9 mg per count at every range.</summary>
    public int RangeG { get; init; } = 4;

    /// <summary>The output data rate in hertz: 6.25 · 2^k up to 3200 (100 by default); the sampler should not read faster.</summary>
    public double RateHz { get; init; } = 100;

    /// <summary>The clock that stamps samples; the system clock by default.</summary>
    public TimeProvider? Clock { get; init; }
}
