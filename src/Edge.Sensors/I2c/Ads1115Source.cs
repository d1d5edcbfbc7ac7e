using System.Buffers.Binary;
using System.Device.I2c;
using Iot.Device.Ads1115;

namespace Edge.Sensors.I2c;

/// <summary>
/// A TI ADS1115 16-bit ADC in continuous mode (e.g. a laser's monitor photodiode across a transimpedance resistor),
/// through Iot.Device.Bindings. One channel: the input voltage in volts; a reading at full scale is OutOfRange.
/// </summary>
public sealed class Ads1115Source : I2cSensorSource
{
    private const byte ConfigurationRegister = 0x01;
    // Bit 15 (OS) reports whether a conversion is running, which changes by itself in continuous mode.
    private const ushort SettingsMask = 0x7FFF;
    private const ushort SingleShot = 0x0100;

    private readonly Ads1115Options _options;
    private readonly ushort _expectedSettings;
    private readonly double _voltsPerCount;
    private Ads1115? _chip;

    /// <summary>Creates the adapter for the chip on <paramref name="device"/>; it owns and disposes the device.</summary>
    public Ads1115Source(I2cDevice device, Ads1115Options? options = null)
        : base(device, [new((options ?? new Ads1115Options()).Name, "V")], options?.Clock)
    {
        _options = options ?? new Ads1115Options();
        if (!Enum.IsDefined(_options.Input) || !Enum.IsDefined(_options.Range) || !Enum.IsDefined(_options.Rate))
        {
            Fail.With(EdgeErrorCode.InvalidArgument,
                $"ADS1115: input {_options.Input}, range {_options.Range} or rate {_options.Rate} is not one the chip has; use the InputMultiplexer, MeasuringRange and DataRate values.");
        }
        // Datasheet table 8 (config register): MUX 14:12, PGA 11:9, MODE 8 (0 = continuous), DR 7:5, comparator
        // mode, polarity and latch 0, queue 11 (disabled), which is what the binding writes.
        _expectedSettings = (ushort)(((int)_options.Input << 12) | ((int)_options.Range << 9) | ((int)_options.Rate << 5) | 0b11);
        _voltsPerCount = FullScaleVolts(_options.Range) / 32768.0;
    }

    /// <summary>The volts per count at the chosen range.</summary>
    public double VoltsPerCount => _voltsPerCount;

    /// <inheritdoc />
    protected override bool Configure(out string? problem)
    {
        // The binding's constructor writes the configuration and waits for the first conversion: TimeoutException
        // when the OS bit never reports completion.
        try
        {
            _chip = new Ads1115(Device, _options.Input, _options.Range, _options.Rate, DeviceMode.Continuous);
        }
        catch (TimeoutException)
        {
            // A chip whose conversion hangs still holds the settings (in single-shot mode, as the binding writes them
            // first): that is a device not answering. Anything else read back is garbage that only looked busy.
            ushort held = (ushort)(ReadConfiguration() & SettingsMask & ~SingleShot);
            if (held == _expectedSettings) throw;
            problem = $"ADS1115 configuration reads 0x{held:X4} while waiting for a conversion, expected 0x{_expectedSettings:X4}: the bus returns garbage";
            return false;
        }
        ushort settings = (ushort)(ReadConfiguration() & SettingsMask);
        problem = settings == _expectedSettings
            ? null
            : $"ADS1115 configuration reads 0x{settings:X4} after setup, expected 0x{_expectedSettings:X4}: not an ADS1115, or the bus returns garbage";
        return problem is null;
    }

    /// <inheritdoc />
    protected override bool TryReadFrame(Span<double> values, Span<SensorStatus> statuses)
    {
        // The conversion register alone cannot tell garbage (0xFFFF is -1 count, a plausible reading), so the
        // configuration is checked on every frame.
        if ((ReadConfiguration() & SettingsMask) != _expectedSettings) return false;
        short raw = _chip!.ReadRaw();
        values[0] = raw * _voltsPerCount;
        statuses[0] = raw is short.MaxValue or short.MinValue ? SensorStatus.OutOfRange : SensorStatus.Ok;
        return true;
    }

    private ushort ReadConfiguration()
    {
        Span<byte> word = stackalloc byte[2];
        ReadRegisters(ConfigurationRegister, word);
        return BinaryPrimitives.ReadUInt16BigEndian(word);
    }

    private static double FullScaleVolts(MeasuringRange range) => range switch
    {
        MeasuringRange.FS6144 => 6.144,
        MeasuringRange.FS4096 => 4.096,
        MeasuringRange.FS2048 => 2.048,
        MeasuringRange.FS1024 => 1.024,
        MeasuringRange.FS0512 => 0.512,
        _ => 0.256,
    };
}
