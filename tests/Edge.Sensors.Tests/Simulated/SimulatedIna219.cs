namespace Edge.Sensors.Tests.Simulated;

/// <summary>
/// INA219 register model (TI datasheet SBOS448, section 8.6): big-endian 16-bit registers; the shunt register in
/// 10 µV counts clipped at the gain's range; the bus register as 4 mV counts in bits 15:3 with CNVR (bit 1) and
/// OVF (bit 0); current = shunt × calibration / 4096; power = current × bus / 5000; calibration bit 0 reads 0.
/// </summary>
public sealed class SimulatedIna219 : SimulatedI2cDevice
{
    private const ushort ResetConfiguration = 0x399F;
    private ushort _configuration = ResetConfiguration;
    private ushort _calibration;

    public SimulatedIna219(int address = 0x40) : base(address) { }

    public double ShuntOhms { get; set; } = 0.1;

    /// <summary>The true current through the shunt, amperes.</summary>
    public double Current { get; set; }

    /// <summary>The true bus voltage, volts.</summary>
    public double BusVolts { get; set; }

    public ushort CalibrationRegister => _calibration;

    public ushort ConfigurationRegister => _configuration;

    public override void PowerCycle()
    {
        _configuration = ResetConfiguration;
        _calibration = 0;
    }

    protected override void WriteRegisters(byte pointer, ReadOnlySpan<byte> data)
    {
        if (data.Length < 2) return;
        ushort value = (ushort)((data[0] << 8) | data[1]);
        switch (pointer)
        {
            case 0x00 when (value & 0x8000) != 0:
                PowerCycle();
                break;
            case 0x00:
                _configuration = value;
                break;
            case 0x05:
                _calibration = (ushort)(value & 0xFFFE);
                break;
        }
    }

    protected override void ReadRegisters(byte pointer, Span<byte> destination)
    {
        ushort value = pointer switch
        {
            0x00 => _configuration,
            0x01 => (ushort)ShuntCounts(out _),
            0x02 => BusRegister(),
            0x03 => (ushort)Math.Clamp(CurrentCounts(out _) * (long)(BusRegister() >> 3) / 5000, 0, 0xFFFF),
            0x04 => (ushort)CurrentCounts(out _),
            0x05 => _calibration,
            _ => 0,
        };
        destination[0] = (byte)(value >> 8);
        if (destination.Length > 1) destination[1] = (byte)value;
    }

    private short ShuntCounts(out bool clipped)
    {
        int pga = (_configuration >> 11) & 3;
        int limit = 4000 << pga;               // ±40 mV × 2^pga in 10 µV counts
        long counts = (long)Math.Round(Current * ShuntOhms / 10e-6);
        clipped = counts > limit || counts < -limit;
        return (short)Math.Clamp(counts, -limit, limit);
    }

    private short CurrentCounts(out bool overflow)
    {
        long counts = ShuntCounts(out bool clipped) * (long)_calibration / 4096;
        overflow = clipped || counts > short.MaxValue || counts < short.MinValue;
        return (short)Math.Clamp(counts, short.MinValue, short.MaxValue);
    }

    private ushort BusRegister()
    {
        double fullScale = (_configuration & 0x2000) != 0 ? 32 : 16;
        int counts = (int)Math.Round(Math.Clamp(BusVolts, 0, fullScale) / 0.004);
        CurrentCounts(out bool overflow);
        return (ushort)((counts << 3) | 0b10 | (overflow ? 1 : 0));
    }
}
