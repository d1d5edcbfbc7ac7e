using System.Buffers.Binary;
using System.Device.I2c;
using Iot.Device.Adc;

namespace Edge.Sensors.I2c;

/// <summary>
/// A TI INA219 current and voltage monitor (e.g. a laser driver's bias current), through Iot.Device.Bindings.
/// Channels: 0 the current through the shunt in amperes (signed), 1 the bus voltage in volts.
/// </summary>
public sealed class Ina219Source : I2cSensorSource
{
    // Configuration register after a power-on reset: 32 V range, /8 gain, 12-bit bus and shunt ADC, continuous.
    private const ushort ResetConfiguration = 0x399F;
    private const ushort RangeAndGainMask = 0x3800;
    private const byte ConfigurationRegister = 0x00;
    private const byte BusVoltageRegister = 0x02;

    private readonly Ina219BusVoltageRange _busRange;
    private readonly Ina219PgaSensitivity _gain;
    private readonly ushort _calibration;
    private readonly float _currentLsb;
    private readonly ushort _expectedConfiguration;
    private Ina219? _chip;

    /// <summary>Creates the adapter for the chip on <paramref name="device"/>; it owns and disposes the device.</summary>
    public Ina219Source(I2cDevice device, Ina219Options? options = null)
        : base(device, ChannelsFor(options ?? new Ina219Options()), options?.Clock)
    {
        options ??= new Ina219Options();
        if (!(options.ShuntOhms > 0) || !(options.MaxCurrentAmperes > 0))
        {
            Fail.With(EdgeErrorCode.InvalidArgument,
                $"INA219: ShuntOhms ({options.ShuntOhms}) and MaxCurrentAmperes ({options.MaxCurrentAmperes}) must be positive; set them to the board's shunt and the largest expected current.");
        }
        double shuntVolts = options.MaxCurrentAmperes * options.ShuntOhms;
        if (shuntVolts > 0.32 * (1 + 1e-9))
        {
            Fail.With(EdgeErrorCode.InvalidArgument,
                $"INA219: {options.MaxCurrentAmperes} A through {options.ShuntOhms} ohm drops {shuntVolts:0.###} V, beyond the chip's 0.32 V shunt range; use a smaller shunt or a lower MaxCurrentAmperes.");
        }
        // The smallest gain range that holds the largest drop; the slack keeps 0.4 A × 0.1 ohm (0.04000000000000001
        // in binary) in the 40 mV range.
        double drop = shuntVolts * (1 - 1e-9);
        _gain = drop switch
        {
            <= 0.04 => Ina219PgaSensitivity.PlusOrMinus40mv,
            <= 0.08 => Ina219PgaSensitivity.PlusOrMinus80mv,
            <= 0.16 => Ina219PgaSensitivity.PlusOrMinus160mv,
            _ => Ina219PgaSensitivity.PlusOrMinus320mv,
        };
        _busRange = options.Bus32Volts ? Ina219BusVoltageRange.Range32v : Ina219BusVoltageRange.Range16v;
        // Datasheet section 8.5: Cal = trunc(0.04096 / (Current_LSB * R_shunt)); the LSB is then recomputed from the
        // truncated Cal so that the current register scales exactly.
        double lsb = options.MaxCurrentAmperes / 32768.0;
        double cal = Math.Floor(0.04096 / (lsb * options.ShuntOhms));
        if (cal > 0xFFFE) cal = 0xFFFE;
        // Bit 0 of the calibration register is not implemented and reads 0.
        _calibration = (ushort)((int)cal & 0xFFFE);
        _currentLsb = (float)(0.04096 / (_calibration * options.ShuntOhms));
        _expectedConfiguration = (ushort)((ResetConfiguration & ~RangeAndGainMask) | (ushort)_busRange | (ushort)_gain);
    }

    /// <summary>The amperes per bit of the current register after calibration.</summary>
    public double CurrentLsbAmperes => _currentLsb;

    /// <summary>The value written to the calibration register.</summary>
    public ushort Calibration => _calibration;

    private static SensorChannel[] ChannelsFor(Ina219Options o) =>
        [new(ChannelName(o.Name, "current"), "A"), new(ChannelName(o.Name, "bus_voltage"), "V")];

    /// <inheritdoc />
    protected override bool Configure(out string? problem)
    {
        // A fresh binding after every fault: it caches the ADC settings it read at reset, which a power cycle undoes.
        var chip = new Ina219(Device);
        chip.Reset();
        chip.BusVoltageRange = _busRange;
        chip.PgaSensitivity = _gain;
        chip.SetCalibration(_calibration, _currentLsb);
        _chip = chip;
        ushort configuration = ReadWord(ConfigurationRegister);
        problem = configuration == _expectedConfiguration
            ? null
            : $"INA219 configuration reads 0x{configuration:X4} after setup, expected 0x{_expectedConfiguration:X4}: not an INA219, or the bus returns garbage";
        return problem is null;
    }

    /// <inheritdoc />
    protected override bool TryReadFrame(Span<double> values, Span<SensorStatus> statuses)
    {
        // The INA219 has no id register; its configuration word is the check that it is still set up as we left it.
        if (ReadWord(ConfigurationRegister) != _expectedConfiguration) return false;

        // Iot.Device.Bindings 4.2 rewrites the calibration before each current read (a large load step can clear it)
        // but reads the current register as unsigned; the register is two's complement, so a reverse current comes
        // back as 65535 LSB. Recover the raw count and reinterpret it.
        double amperes = _chip!.ReadCurrent().Amperes;
        int raw = (int)Math.Round(amperes / _currentLsb);
        if (raw > short.MaxValue) raw -= 65536;

        // The bus register's low bits are flags the binding drops: bit 0 (OVF) says the current or power overflowed.
        ushort bus = ReadWord(BusVoltageRegister);
        bool overflow = (bus & 1) != 0;
        values[0] = raw * (double)_currentLsb;
        statuses[0] = overflow ? SensorStatus.OutOfRange : SensorStatus.Ok;
        values[1] = (bus >> 3) * 0.004;
        statuses[1] = SensorStatus.Ok;
        return true;
    }

    private ushort ReadWord(byte register)
    {
        Span<byte> word = stackalloc byte[2];
        ReadRegisters(register, word);
        return BinaryPrimitives.ReadUInt16BigEndian(word);
    }
}
