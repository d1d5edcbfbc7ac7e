using Edge.Sensors.I2c;
using Edge.Sensors.Tests.Simulated;

namespace Edge.Sensors.Tests.I2c;

public sealed class Bme280SourceTests : AdapterContract<SimulatedBme280>
{
    protected override SimulatedBme280 CreateDevice() => new() { Celsius = 31.5, Pascals = 98000, HumidityPercent = 42 };

    protected override ISensorSource CreateSource(SimulatedBme280 device) =>
        new Bme280Source(device, new Bme280Options { Name = "laser_case", ReadPressureAndHumidity = true });

    // One raw count is about 0.005 degC, 0.2 Pa and 0.002 %RH with these trimming words.
    protected override (double[] Expected, double[] Tolerance) ExpectedFrame(SimulatedBme280 device) =>
        ([device.Celsius, device.Pascals, device.HumidityPercent], [0.01, 0.5, 0.01]);

    [Fact]
    public void The_datasheet_worked_example_reads_25_08_degC_and_100653_27_Pa()
    {
        // BMP280 datasheet section 3.12: with its trimming words, adc_T 519888 is 25.08 degC and adc_P 415148 is
        // 100653.27 Pa (the double-precision formulas).
        var device = new SimulatedBme280 { RawTemperature = 519888, RawPressure = 415148 };
        using var source = CreateSource(device);
        var frame = ReadFrame(source);
        Assert.Equal(SensorStatus.Ok, frame[0].Status);
        Assert.InRange(frame[0].Value, 25.075, 25.085);
        Assert.Equal(SensorStatus.Ok, frame[1].Status);
        Assert.InRange(frame[1].Value, 100653.17, 100653.37);
    }

    [Fact]
    public void Temperature_only_is_one_channel_with_the_chip_in_normal_mode()
    {
        var device = CreateDevice();
        using var source = new Bme280Source(device, new Bme280Options());
        Assert.Single(source.Channels);
        Assert.Equal(new SensorChannel("temperature", "degC"), source.Channels[0]);
        Assert.True(source.TryRead(out var sample));
        Assert.InRange(sample.Value, 31.49, 31.51);
        // ctrl_meas: osrs_t x1, pressure skipped, normal mode.
        Assert.Equal(0b001_000_11, device[0xF4]);
    }

    [Fact]
    public void A_chip_with_another_id_is_InvalidData_naming_the_id()
    {
        var device = new SimulatedBme280(chipId: 0x58);
        using var source = (Bme280Source)CreateSource(device);
        Assert.False(source.TryRead(out var sample));
        Assert.Equal(SensorStatus.InvalidData, sample.Status);
        Assert.Contains("0x58", source.LastProblem);
    }

    [Fact]
    public void A_case_temperature_beyond_the_chip_range_is_OutOfRange()
    {
        var device = CreateDevice();
        device.Celsius = 95;
        using var source = CreateSource(device);
        Assert.False(source.TryRead(out var sample));
        Assert.Equal(SensorStatus.OutOfRange, sample.Status);
        Assert.InRange(sample.Value, 94.99, 95.01);
    }
}
