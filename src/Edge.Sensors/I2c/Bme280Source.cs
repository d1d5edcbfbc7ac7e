using System.Device.I2c;
using Iot.Device.Bmxx80;
using Iot.Device.Bmxx80.PowerMode;

namespace Edge.Sensors.I2c;

// Edge.Sensors.Sampling (the sampler) would otherwise hide the binding's Sampling enum here.
using Sampling = Iot.Device.Bmxx80.Sampling;

/// <summary>
/// A Bosch BME280 in normal (free-running) mode, e.g. on a laser's case, through Iot.Device.Bindings.
/// Channel 0 is the temperature in degrees Celsius; with <see cref="Bme280Options.ReadPressureAndHumidity"/>,
/// channel 1 is the pressure in pascals and channel 2 the relative humidity in percent.
/// </summary>
public sealed class Bme280Source : I2cSensorSource
{
    private const byte ChipIdRegister = 0xD0;
    private const byte ChipId = 0x60;
    private const byte ControlHumidityRegister = 0xF2;
    private const byte ControlMeasurementRegister = 0xF4;
    // config (0xF5) as the binding leaves it: standby 125 ms (010), filter off (000), no SPI 3-wire.
    private const byte ExpectedConfig = 0b010_000_00;

    private readonly Bme280Options _options;
    private readonly byte _expectedControl;
    private readonly byte _expectedHumidityControl;
    private Bme280? _chip;

    /// <summary>Creates the adapter for the chip on <paramref name="device"/>; it owns and disposes the device.</summary>
    public Bme280Source(I2cDevice device, Bme280Options? options = null)
        : base(device, ChannelsFor(options ?? new Bme280Options()), options?.Clock)
    {
        _options = options ?? new Bme280Options();
        if (_options.TemperatureSampling == Sampling.Skipped || !Enum.IsDefined(_options.TemperatureSampling))
        {
            Fail.With(EdgeErrorCode.InvalidArgument,
                $"BME280: TemperatureSampling {_options.TemperatureSampling} reads no temperature; use UltraLowPower (x1) up to UltraHighResolution (x16).");
        }
        Sampling pressure = _options.ReadPressureAndHumidity ? Sampling.UltraLowPower : Sampling.Skipped;
        // ctrl_meas (datasheet 5.4.5): osrs_t 7:5, osrs_p 4:2, mode 1:0 (11 = normal).
        _expectedControl = (byte)(((int)_options.TemperatureSampling << 5) | ((int)pressure << 2) | (int)Bmx280PowerMode.Normal);
        _expectedHumidityControl = (byte)(_options.ReadPressureAndHumidity ? Sampling.UltraLowPower : Sampling.Skipped);
    }

    private static SensorChannel[] ChannelsFor(Bme280Options o) => o.ReadPressureAndHumidity
        ? [new(ChannelName(o.Name, "temperature"), "degC"), new(ChannelName(o.Name, "pressure"), "Pa"), new(ChannelName(o.Name, "humidity"), "%")]
        : [new(ChannelName(o.Name, "temperature"), "degC")];

    /// <inheritdoc />
    protected override bool Configure(out string? problem)
    {
        // Checked here rather than left to the binding, which throws IOException for a wrong id: a chip that answers
        // with the wrong id is garbage, not a chip that does not answer.
        byte id = ReadByte(ChipIdRegister);
        if (id != ChipId)
        {
            problem = $"BME280 chip id reads 0x{id:X2}, expected 0x{ChipId:X2}: a BMP280 (0x58), another chip at this address, or garbage on the bus";
            return false;
        }
        // The binding reads the calibration words, soft-resets the chip and sets x1 oversampling.
        var chip = new Bme280(Device);
        chip.TemperatureSampling = _options.TemperatureSampling;
        chip.PressureSampling = _options.ReadPressureAndHumidity ? Sampling.UltraLowPower : Sampling.Skipped;
        chip.HumiditySampling = _options.ReadPressureAndHumidity ? Sampling.UltraLowPower : Sampling.Skipped;
        chip.SetPowerMode(Bmx280PowerMode.Normal);
        _chip = chip;
        problem = ControlsAsWritten()
            ? null
            : $"BME280 control registers read back other than written after setup (ctrl_meas 0x{ReadByte(ControlMeasurementRegister):X2}, expected 0x{_expectedControl:X2}): the bus returns garbage";
        return problem is null;
    }

    /// <inheritdoc />
    protected override bool TryReadFrame(Span<double> values, Span<SensorStatus> statuses)
    {
        // A soft reset or brown-out puts the chip back to sleep mode (ctrl_meas 0) with stale data registers.
        if (!ControlsAsWritten()) return false;
        var chip = _chip!;
        chip.TryReadTemperature(out var temperature);
        double celsius = temperature.DegreesCelsius;
        values[0] = celsius;
        // The chip's operating range is -40..85 degC; beyond it the compensation is extrapolating.
        statuses[0] = celsius is >= -40 and <= 85 ? SensorStatus.Ok : SensorStatus.OutOfRange;
        if (values.Length > 1)
        {
            chip.TryReadPressure(out var pressure);
            chip.TryReadHumidity(out var humidity);
            double pascals = pressure.Pascals;
            values[1] = pascals;
            statuses[1] = pascals is >= 30000 and <= 110000 ? SensorStatus.Ok : SensorStatus.OutOfRange;
            values[2] = humidity.Percent;
            statuses[2] = SensorStatus.Ok;
        }
        return true;
    }

    /// <summary>ctrl_hum, ctrl_meas and config in one burst (0xF2..0xF5): 24 bits that garbage is unlikely to match.</summary>
    private bool ControlsAsWritten()
    {
        Span<byte> controls = stackalloc byte[4];
        ReadRegisters(ControlHumidityRegister, controls);
        return (controls[0] & 0x07) == _expectedHumidityControl && controls[2] == _expectedControl && controls[3] == ExpectedConfig;
    }

    private byte ReadByte(byte register)
    {
        Span<byte> value = stackalloc byte[1];
        ReadRegisters(register, value);
        return value[0];
    }
}
