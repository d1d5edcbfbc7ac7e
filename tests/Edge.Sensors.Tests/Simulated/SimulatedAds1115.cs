namespace Edge.Sensors.Tests.Simulated;

/// <summary>
/// ADS1115 register model (TI datasheet SBAS444, section 9.6): pointer 0 the conversion (two's complement), 1 the
/// configuration (reset 0x8583), 2 and 3 the thresholds. A write with OS set in single-shot mode converts at once;
/// in continuous mode every read of the conversion register sees the current input. OS reads 1 when idle.
/// </summary>
public sealed class SimulatedAds1115 : SimulatedI2cDevice
{
    private const ushort ResetConfiguration = 0x8583;
    private ushort _configuration = ResetConfiguration;
    private ushort _low = 0x8000, _high = 0x7FFF;
    private short _conversion;

    public SimulatedAds1115(int address = 0x48) : base(address) { }

    /// <summary>The voltage on AIN0..AIN3 against ground.</summary>
    public double[] Inputs { get; } = new double[4];

    /// <summary>When set, a single-shot conversion never finishes: OS stays 0, as a chip whose clock stopped.</summary>
    public bool ConversionStuck { get; set; }

    public ushort ConfigurationRegister => _configuration;

    public override void PowerCycle()
    {
        _configuration = ResetConfiguration;
        _low = 0x8000;
        _high = 0x7FFF;
        _conversion = 0;
    }

    protected override void WriteRegisters(byte pointer, ReadOnlySpan<byte> data)
    {
        if (data.Length < 2) return;
        ushort value = (ushort)((data[0] << 8) | data[1]);
        switch (pointer & 3)
        {
            case 1:
                _configuration = (ushort)(value & 0x7FFF);
                if ((value & 0x8000) != 0 && !ConversionStuck) _conversion = Convert();
                break;
            case 2: _low = value; break;
            case 3: _high = value; break;
        }
    }

    protected override void ReadRegisters(byte pointer, Span<byte> destination)
    {
        bool continuous = (_configuration & 0x0100) == 0;
        ushort value = (pointer & 3) switch
        {
            0 => (ushort)(continuous ? Convert() : _conversion),
            1 => (ushort)(_configuration | (continuous || ConversionStuck ? 0 : 0x8000)),
            2 => _low,
            _ => _high,
        };
        destination[0] = (byte)(value >> 8);
        if (destination.Length > 1) destination[1] = (byte)value;
    }

    private short Convert()
    {
        int mux = (_configuration >> 12) & 7;
        double volts = mux switch
        {
            0 => Inputs[0] - Inputs[1],
            1 => Inputs[0] - Inputs[3],
            2 => Inputs[1] - Inputs[3],
            3 => Inputs[2] - Inputs[3],
            _ => Inputs[mux - 4],
        };
        double fullScale = ((_configuration >> 9) & 7) switch { 0 => 6.144, 1 => 4.096, 2 => 2.048, 3 => 1.024, 4 => 0.512, _ => 0.256 };
        return (short)Math.Clamp(Math.Round(volts / fullScale * 32768), short.MinValue, short.MaxValue);
    }
}
