using Iot.Device.Ads1115;

namespace Edge.Sensors.I2c;

/// <summary>Which input of an ADS1115 to read, at which full-scale range and conversion rate.</summary>
public sealed record Ads1115Options
{
    /// <summary>The default I2C address (ADDR to ground); 0x49 (VDD), 0x4A (SDA) and 0x4B (SCL) are the others.</summary>
    public const int DefaultAddress = 0x48;

    /// <summary>The channel name; <c>voltage</c> by default (e.g. <c>monitor_photodiode</c>).</summary>
    public string Name { get; init; } = "voltage";

    /// <summary>The input: a single-ended pin against ground (AIN0 by default) or a differential pair.</summary>
    public InputMultiplexer Input { get; init; } = InputMultiplexer.AIN0;

    /// <summary>The full-scale range of the programmable gain amplifier (±4.096 V by default).</summary>
    public MeasuringRange Range { get; init; } = MeasuringRange.FS4096;

    /// <summary>Conversions per second in continuous mode (128 by default); the sampler should not read faster.</summary>
    public DataRate Rate { get; init; } = DataRate.SPS128;

    /// <summary>The clock that stamps samples; the system clock by default.</summary>
    public TimeProvider? Clock { get; init; }
}
