namespace Edge.Sensors.Tests.Simulated;

/// <summary>
/// ADXL345 register model (Analog Devices datasheet rev. G, register map table 19): DEVID 0xE5 at 0x00, BW_RATE 0x2C
/// (reset 0x0A), POWER_CTL 0x2D (measure bit 3), DATA_FORMAT 0x31 (FULL_RES bit 3, range bits 1:0), DATAX0..DATAZ1
/// at 0x32..0x37 little-endian. In full resolution a count is 1/256 g up to ±range; in 10-bit mode ±512 counts span
/// the range. Data reads 0 in standby.
/// </summary>
public sealed class SimulatedAdxl345 : ByteRegisterDevice
{
    public SimulatedAdxl345(int address = 0x53, byte deviceId = 0xE5) : base(address)
    {
        DeviceId = deviceId;
        PowerCycle();
    }

    public byte DeviceId { get; }

    /// <summary>The true acceleration on X, Y, Z in g.</summary>
    public double[] Acceleration { get; } = [0, 0, 1];

    public override void PowerCycle()
    {
        Array.Clear(Registers);
        Registers[0x00] = DeviceId;
        Registers[0x2C] = 0x0A;
    }

    protected override bool OnWrite(byte register, byte value) => register is >= 0x1D and <= 0x2A or 0x2C or 0x2D or 0x2E or 0x2F or 0x31 or 0x38;

    protected override void BeforeRead(byte pointer, int length)
    {
        bool measuring = (Registers[0x2D] & 0x08) != 0;
        int format = Registers[0x31];
        int rangeG = 2 << (format & 3);
        bool fullResolution = (format & 0x08) != 0;
        double countsPerG = fullResolution ? 256 : 512.0 / rangeG;
        int limit = fullResolution ? rangeG * 256 : 512;
        for (int axis = 0; axis < 3; axis++)
        {
            int count = measuring ? (int)Math.Clamp(Math.Round(Acceleration[axis] * countsPerG), -limit, limit - 1) : 0;
            Registers[0x32 + 2 * axis] = (byte)count;
            Registers[0x33 + 2 * axis] = (byte)(count >> 8);
        }
    }
}
