using Edge.Sensors.Tests.Simulated;

namespace Edge.Sensors.Tests.I2c;

/// <summary>
/// What every I2C adapter promises, run against each chip's simulated device: values in the chip's units, a device
/// that stops answering is a status (never NaN, never an exception) until it comes back, garbage on the bus is
/// InvalidData, a silent power cycle costs no sample, and a good read allocates nothing.
/// </summary>
public abstract class AdapterContract<TDevice> where TDevice : SimulatedI2cDevice
{
    protected abstract TDevice CreateDevice();

    protected abstract ISensorSource CreateSource(TDevice device);

    /// <summary>The values the device's modelled state should read as, and the tolerance, per channel.</summary>
    protected abstract (double[] Expected, double[] Tolerance) ExpectedFrame(TDevice device);

    protected static SensorSample[] ReadFrame(ISensorSource source)
    {
        var frame = new SensorSample[source.Channels.Count];
        for (int c = 0; c < frame.Length; c++) source.TryRead(out frame[c]);
        return frame;
    }

    protected void AssertGoodFrame(TDevice device, SensorSample[] frame)
    {
        var (expected, tolerance) = ExpectedFrame(device);
        for (int c = 0; c < frame.Length; c++)
        {
            Assert.Equal(SensorStatus.Ok, frame[c].Status);
            Assert.Equal(c, frame[c].Channel);
            Assert.InRange(frame[c].Value, expected[c] - tolerance[c], expected[c] + tolerance[c]);
        }
    }

    [Fact]
    public void Reads_the_modelled_values_channel_by_channel()
    {
        var device = CreateDevice();
        using var source = CreateSource(device);
        AssertGoodFrame(device, ReadFrame(source));
        AssertGoodFrame(device, ReadFrame(source));
    }

    [Fact]
    public void A_device_that_stops_answering_reports_NoResponse_for_each_read_and_recovers_when_it_comes_back()
    {
        var device = CreateDevice();
        using var source = CreateSource(device);
        AssertGoodFrame(device, ReadFrame(source));

        device.Fault = DeviceFault.NoAnswer;
        for (int frame = 0; frame < 5; frame++)
        {
            for (int c = 0; c < source.Channels.Count; c++)
            {
                Assert.False(source.TryRead(out var sample));
                Assert.Equal(SensorStatus.NoResponse, sample.Status);
                Assert.Equal(0.0, sample.Value);
                Assert.Equal(c, sample.Channel);
            }
        }
        var adapter = (Edge.Sensors.I2c.I2cSensorSource)source;
        Assert.Equal(5, adapter.NoResponseFrames);
        Assert.Contains("acknowledge", adapter.LastProblem);

        // It comes back power-cycled, as a re-plugged board would: the adapter must set it up again.
        device.PowerCycle();
        device.Fault = DeviceFault.None;
        AssertGoodFrame(device, ReadFrame(source));
        Assert.Equal(2, adapter.Configurations);
    }

    [Theory]
    [InlineData(DeviceFault.Garbage)]
    [InlineData(DeviceFault.Zeros)]
    public void Garbage_on_the_bus_is_InvalidData_and_the_device_recovers_afterwards(DeviceFault garbage)
    {
        var device = CreateDevice();
        using var source = CreateSource(device);
        AssertGoodFrame(device, ReadFrame(source));

        device.Fault = garbage;
        for (int frame = 0; frame < 3; frame++)
        {
            foreach (var sample in ReadFrame(source))
            {
                Assert.Equal(SensorStatus.InvalidData, sample.Status);
                Assert.Equal(0.0, sample.Value);
            }
        }
        Assert.Equal(3, ((Edge.Sensors.I2c.I2cSensorSource)source).InvalidFrames);

        device.Fault = DeviceFault.None;
        AssertGoodFrame(device, ReadFrame(source));
    }

    [Fact]
    public void Random_bytes_on_the_bus_never_pass_as_a_reading_never_throw_and_never_give_NaN()
    {
        var device = CreateDevice();
        using var source = CreateSource(device);
        device.Fault = DeviceFault.RandomBytes;
        for (int frame = 0; frame < 100; frame++)
        {
            foreach (var sample in ReadFrame(source))
            {
                // The binding may time out waiting on a random busy bit (NoResponse); nothing random reads as Ok.
                Assert.Contains(sample.Status, new[] { SensorStatus.InvalidData, SensorStatus.NoResponse });
                Assert.Equal(0.0, sample.Value);
            }
        }
        device.Fault = DeviceFault.None;
        device.PowerCycle();
        AssertGoodFrame(device, ReadFrame(source));
    }

    [Fact]
    public void A_silent_power_cycle_between_reads_is_set_up_again_within_the_same_frame()
    {
        var device = CreateDevice();
        using var source = CreateSource(device);
        AssertGoodFrame(device, ReadFrame(source));
        device.PowerCycle();
        AssertGoodFrame(device, ReadFrame(source));
        Assert.Equal(2, ((Edge.Sensors.I2c.I2cSensorSource)source).Configurations);
    }

    [Fact]
    public void A_device_absent_at_start_is_reported_not_fatal()
    {
        var device = CreateDevice();
        device.Fault = DeviceFault.NoAnswer;
        using var source = CreateSource(device);
        Assert.All(ReadFrame(source), s => Assert.Equal(SensorStatus.NoResponse, s.Status));
        device.Fault = DeviceFault.None;
        AssertGoodFrame(device, ReadFrame(source));
    }

    [Fact]
    public void A_good_read_allocates_nothing()
    {
        var device = CreateDevice();
        using var source = CreateSource(device);
        for (int i = 0; i < 200; i++) source.TryRead(out _);   // set-up and JIT tiering
        long before = GC.GetAllocatedBytesForCurrentThread();
        int good = 0;
        for (int i = 0; i < 1000; i++) if (source.TryRead(out _)) good++;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(1000, good);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Dispose_disposes_the_device()
    {
        var device = CreateDevice();
        var source = CreateSource(device);
        source.TryRead(out _);
        source.Dispose();
        Assert.True(device.Disposed);
        Assert.Throws<ObjectDisposedException>(() => source.TryRead(out _));
    }
}
