using Iot.Device.Bmxx80;

namespace Edge.Sensors.I2c;

// Edge.Sensors.Sampling (the sampler) would otherwise hide the binding's Sampling enum here.
using Sampling = Iot.Device.Bmxx80.Sampling;

/// <summary>How a BME280 samples: oversampling, and whether pressure and humidity are channels too.</summary>
public sealed record Bme280Options
{
    /// <summary>The default I2C address (SDO to VDD); 0x76 with SDO to ground.</summary>
    public const int DefaultAddress = 0x77;

    /// <summary>A prefix for the channel names (e.g. <c>laser_case</c>); none by default.</summary>
    public string? Name { get; init; }

    /// <summary>Temperature oversampling (x1 by default; each step doubles the conversion time and lowers the noise).</summary>
    public Sampling TemperatureSampling { get; init; } = Sampling.UltraLowPower;

    /// <summary>Adds channel 1 (pressure, Pa) and channel 2 (relative humidity, %) after the temperature.</summary>
    public bool ReadPressureAndHumidity { get; init; }

    /// <summary>The clock that stamps samples; the system clock by default.</summary>
    public TimeProvider? Clock { get; init; }
}
