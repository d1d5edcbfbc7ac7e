namespace Edge.Sensors.I2c;

/// <summary>How an INA219 is wired and scaled: the shunt resistor, the largest current expected, and the bus range.</summary>
public sealed record Ina219Options
{
    /// <summary>The default I2C address (A0 and A1 to ground).</summary>
    public const int DefaultAddress = 0x40;

    /// <summary>A prefix for the channel names (e.g. <c>laser_driver</c>); none by default.</summary>
    public string? Name { get; init; }

    /// <summary>The shunt resistor in ohms (0.1 on most breakout boards).</summary>
    public double ShuntOhms { get; init; } = 0.1;

    /// <summary>The largest current, in amperes, the channel must read; it sets the calibration (current LSB = this / 32768) and the shunt gain.</summary>
    public double MaxCurrentAmperes { get; init; } = 0.4;

    /// <summary>True for the 32 V bus range; false (the default) for 16 V, enough for a laser driver's supply.</summary>
    public bool Bus32Volts { get; init; }

    /// <summary>The clock that stamps samples; the system clock by default.</summary>
    public TimeProvider? Clock { get; init; }
}
