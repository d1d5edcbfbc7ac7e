using System.Buffers.Binary;
using System.Device.I2c;

namespace Edge.Sensors.I2c;

/// <summary>
/// An Analog Devices ADXL345 accelerometer on I2C (e.g. vibration of a laser mount). Channels 0, 1, 2 are the
/// acceleration along X, Y and Z in g. The Iot.Device.Adxl345 binding speaks SPI only, so this adapter drives the
/// chip's registers itself through System.Device.I2c.
/// </summary>
public sealed class Adxl345Source : I2cSensorSource
{
    private const byte DeviceIdRegister = 0x00;
    private const byte DeviceId = 0xE5;
    private const byte RateRegister = 0x2C;
    private const byte PowerControlRegister = 0x2D;
    private const byte DataFormatRegister = 0x31;
    private const byte Measure = 0x08;
    private const byte FullResolution = 0x08;
    // Full-resolution mode: 3.9 mg per count whatever the range (datasheet table 1, scale factor 256 LSB/g at ±2 g).
    private const double GPerCount = 1.0 / 256.0;

    private readonly byte _rateCode;
    private readonly byte _dataFormat;
    private readonly int _maxCount;

    /// <summary>Creates the adapter for the chip on <paramref name="device"/>; it owns and disposes the device.</summary>
    public Adxl345Source(I2cDevice device, Adxl345Options? options = null)
        : base(device, ChannelsFor(options ?? new Adxl345Options()), options?.Clock)
    {
        options ??= new Adxl345Options();
        byte rangeCode = options.RangeG switch { 2 => 0, 4 => 1, 8 => 2, 16 => 3, _ => 0xFF };
        if (rangeCode == 0xFF)
        {
            Fail.With(EdgeErrorCode.InvalidArgument, $"ADXL345: RangeG {options.RangeG} is not a range the chip has; use 2, 4, 8 or 16.");
        }
        // BW_RATE codes 0x6 (6.25 Hz) to 0xF (3200 Hz), doubling at each step.
        double steps = Math.Log2(options.RateHz / 6.25);
        if (!double.IsFinite(steps) || steps < -0.01 || steps > 9.01 || Math.Abs(steps - Math.Round(steps)) > 0.01)
        {
            Fail.With(EdgeErrorCode.InvalidArgument,
                $"ADXL345: RateHz {options.RateHz} is not an output rate the chip has; use 6.25, 12.5, 25, 50, 100, 200, 400, 800, 1600 or 3200.");
        }
        _rateCode = (byte)(0x6 + (int)Math.Round(steps));
        _dataFormat = (byte)(FullResolution | rangeCode);
        _maxCount = options.RangeG * 256;
    }

    private static SensorChannel[] ChannelsFor(Adxl345Options o) =>
        [new(ChannelName(o.Name, "x"), "g"), new(ChannelName(o.Name, "y"), "g"), new(ChannelName(o.Name, "z"), "g")];

    /// <inheritdoc />
    protected override bool Configure(out string? problem)
    {
        Span<byte> id = stackalloc byte[1];
        ReadRegisters(DeviceIdRegister, id);
        if (id[0] != DeviceId)
        {
            problem = $"ADXL345 device id reads 0x{id[0]:X2}, expected 0x{DeviceId:X2}: another chip at this address, or garbage on the bus";
            return false;
        }
        // Standby while configuring (datasheet: change the rate and format with the measure bit clear).
        WriteRegister(PowerControlRegister, 0);
        WriteRegister(RateRegister, _rateCode);
        WriteRegister(DataFormatRegister, _dataFormat);
        WriteRegister(PowerControlRegister, Measure);
        problem = null;
        return true;
    }

    /// <inheritdoc />
    protected override bool TryReadFrame(Span<double> values, Span<SensorStatus> statuses)
    {
        // One burst from BW_RATE (0x2C) through DATAZ1 (0x37): the configuration and the three axes in a single
        // transaction, so the axes belong to one conversion and a chip that reset itself is caught in the same read.
        Span<byte> burst = stackalloc byte[12];
        ReadRegisters(RateRegister, burst);
        if (burst[0] != _rateCode || burst[1] != Measure || burst[5] != _dataFormat) return false;
        for (int axis = 0; axis < 3; axis++)
        {
            int count = BinaryPrimitives.ReadInt16LittleEndian(burst.Slice(6 + 2 * axis, 2));
            values[axis] = count * GPerCount;
            // Full resolution spans -range·256 .. range·256-1 counts; a reading at either end is saturated.
            statuses[axis] = count >= _maxCount - 1 || count <= -_maxCount ? SensorStatus.OutOfRange : SensorStatus.Ok;
        }
        return true;
    }
}
