using System.Buffers.Binary;

namespace Edge.Sensors.Tests.Simulated;

/// <summary>
/// BME280 register model (Bosch datasheet BST-BME280-DS002, section 5.4): id 0x60 at 0xD0, soft reset 0xB6 at 0xE0,
/// trimming words at 0x88..0xA1 and 0xE1..0xE7, ctrl_hum 0xF2, ctrl_meas 0xF4, config 0xF5, data 0xF7..0xFE as
/// 20-bit pressure and temperature and 16-bit humidity. Data registers hold 0x80000 / 0x8000 until the chip is in
/// normal or forced mode. The raw values come from the datasheet's compensation formulas, inverted by bisection.
/// </summary>
public sealed class SimulatedBme280 : ByteRegisterDevice
{
    // Trimming values from the datasheet's worked example (BMP280 datasheet section 3.12) and typical humidity words.
    public const ushort T1 = 27504; public const short T2 = 26435, T3 = -1000;
    public const ushort P1 = 36477; public const short P2 = -10685, P3 = 3024, P4 = 2855, P5 = 140, P6 = -7, P7 = 15500, P8 = -14600, P9 = 6000;
    public const byte H1 = 75; public const short H2 = 362; public const byte H3 = 0; public const short H4 = 324, H5 = 50; public const sbyte H6 = 30;

    public SimulatedBme280(int address = 0x77, byte chipId = 0x60) : base(address)
    {
        ChipId = chipId;
        PowerCycle();
    }

    public byte ChipId { get; }

    /// <summary>When set, the raw 20-bit temperature the chip reports, instead of one derived from <see cref="Celsius"/>.</summary>
    public int? RawTemperature { get; set; }

    /// <summary>When set, the raw 20-bit pressure the chip reports, instead of one derived from <see cref="Pascals"/>.</summary>
    public int? RawPressure { get; set; }

    public double Celsius { get; set; } = 20;

    public double Pascals { get; set; } = 101325;

    public double HumidityPercent { get; set; } = 40;

    public override void PowerCycle()
    {
        Array.Clear(Registers);
        Registers[0xD0] = ChipId;
        Span<byte> r = Registers;
        BinaryPrimitives.WriteUInt16LittleEndian(r[0x88..], T1);
        BinaryPrimitives.WriteInt16LittleEndian(r[0x8A..], T2);
        BinaryPrimitives.WriteInt16LittleEndian(r[0x8C..], T3);
        BinaryPrimitives.WriteUInt16LittleEndian(r[0x8E..], P1);
        short[] p = [P2, P3, P4, P5, P6, P7, P8, P9];
        for (int i = 0; i < p.Length; i++) BinaryPrimitives.WriteInt16LittleEndian(r[(0x90 + 2 * i)..], p[i]);
        r[0xA1] = H1;
        BinaryPrimitives.WriteInt16LittleEndian(r[0xE1..], H2);
        r[0xE3] = H3;
        r[0xE4] = (byte)(H4 >> 4);
        r[0xE5] = (byte)((H4 & 0xF) | ((H5 & 0xF) << 4));
        r[0xE6] = (byte)(H5 >> 4);
        r[0xE7] = (byte)H6;
        WriteData(0x80000, 0x80000, 0x8000);
    }

    protected override bool OnWrite(byte register, byte value)
    {
        if (register == 0xE0)
        {
            if (value == 0xB6) PowerCycle();
            return false;
        }
        // Read-only: id, trimming, status and data.
        return register is 0xF2 or 0xF4 or 0xF5;
    }

    protected override void BeforeRead(byte pointer, int length)
    {
        if ((Registers[0xF4] & 3) == 0) return; // sleep: the data registers keep their reset values
        int osrsT = Registers[0xF4] >> 5, osrsP = (Registers[0xF4] >> 2) & 7, osrsH = Registers[0xF2] & 7;
        int adcT = RawTemperature ?? InvertTemperature(Celsius);
        double tFine = TFine(adcT);
        int adcP = RawPressure ?? InvertPressure(Pascals, tFine);
        int adcH = InvertHumidity(HumidityPercent, tFine);
        WriteData(osrsP == 0 ? 0x80000 : adcP, osrsT == 0 ? 0x80000 : adcT, osrsH == 0 ? 0x8000 : adcH);
    }

    private void WriteData(int adcP, int adcT, int adcH)
    {
        Registers[0xF7] = (byte)(adcP >> 12); Registers[0xF8] = (byte)(adcP >> 4); Registers[0xF9] = (byte)((adcP & 0xF) << 4);
        Registers[0xFA] = (byte)(adcT >> 12); Registers[0xFB] = (byte)(adcT >> 4); Registers[0xFC] = (byte)((adcT & 0xF) << 4);
        Registers[0xFD] = (byte)(adcH >> 8); Registers[0xFE] = (byte)adcH;
    }

    // Datasheet section 8.1, the double-precision compensation formulas.
    public static double TFine(int adcT)
    {
        double var1 = (adcT / 16384.0 - T1 / 1024.0) * T2;
        double var2 = (adcT / 131072.0 - T1 / 8192.0) * (adcT / 131072.0 - T1 / 8192.0) * T3;
        return var1 + var2;
    }

    public static double Pressure(int adcP, double tFine)
    {
        double var1 = tFine / 2.0 - 64000.0;
        double var2 = var1 * var1 * P6 / 32768.0;
        var2 += var1 * P5 * 2.0;
        var2 = var2 / 4.0 + P4 * 65536.0;
        var1 = (P3 * var1 * var1 / 524288.0 + P2 * var1) / 524288.0;
        var1 = (1.0 + var1 / 32768.0) * P1;
        double p = 1048576.0 - adcP;
        p = (p - var2 / 4096.0) * 6250.0 / var1;
        var1 = P9 * p * p / 2147483648.0;
        var2 = p * P8 / 32768.0;
        return p + (var1 + var2 + P7) / 16.0;
    }

    public static double Humidity(int adcH, double tFine)
    {
        double h = tFine - 76800.0;
        h = (adcH - (H4 * 64.0 + H5 / 16384.0 * h)) * (H2 / 65536.0 * (1.0 + H6 / 67108864.0 * h * (1.0 + H3 / 67108864.0 * h)));
        return h * (1.0 - H1 * h / 524288.0);
    }

    // The bisections are closure-free so that the simulated bus allocates nothing and the adapter's
    // zero-allocation test measures the adapter alone.
    private static int InvertTemperature(double celsius)
    {
        int lo = 0, hi = (1 << 20) - 1;
        while (lo < hi)
        {
            int mid = lo + (hi - lo) / 2;
            if (TFine(mid) / 5120.0 < celsius) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private static int InvertPressure(double pascals, double tFine)
    {
        // Pressure falls as adc_P rises.
        int lo = 0, hi = (1 << 20) - 1;
        while (lo < hi)
        {
            int mid = lo + (hi - lo) / 2;
            if (Pressure(mid, tFine) > pascals) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private static int InvertHumidity(double percent, double tFine)
    {
        int lo = 0, hi = 0xFFFF;
        while (lo < hi)
        {
            int mid = lo + (hi - lo) / 2;
            if (Humidity(mid, tFine) < percent) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
