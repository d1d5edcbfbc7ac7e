using System.Device.I2c;

namespace Edge.Sensors.Tests.Simulated;

/// <summary>
/// An I2C chip in memory: a register pointer set by the first byte of a write, registers modelled by the subclass,
/// and bus faults on demand. Transfers are counted so tests can see what the adapter did.
/// </summary>
public abstract class SimulatedI2cDevice : I2cDevice
{
    protected SimulatedI2cDevice(int address) => ConnectionSettings = new I2cConnectionSettings(1, address);

    public override I2cConnectionSettings ConnectionSettings { get; }

    public DeviceFault Fault { get; set; }

    /// <summary>The bytes a <see cref="DeviceFault.RandomBytes"/> device answers with; seeded so runs repeat.</summary>
    public Random Noise { get; set; } = new(1234);

    public long Transfers { get; private set; }

    public bool Disposed { get; private set; }

    /// <summary>The register the next read starts at.</summary>
    protected byte Pointer { get; private set; }

    /// <summary>Power-on reset: every register back to its datasheet default, as after a brown-out.</summary>
    public abstract void PowerCycle();

    protected abstract void ReadRegisters(byte pointer, Span<byte> destination);

    protected abstract void WriteRegisters(byte pointer, ReadOnlySpan<byte> data);

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Transfer();
        if (Fault is DeviceFault.Garbage or DeviceFault.Zeros or DeviceFault.RandomBytes || buffer.Length == 0) return;
        Pointer = buffer[0];
        if (buffer.Length > 1) WriteRegisters(Pointer, buffer[1..]);
    }

    public override void Read(Span<byte> buffer)
    {
        Transfer();
        switch (Fault)
        {
            case DeviceFault.Garbage:
                buffer.Fill(0xFF);
                return;
            case DeviceFault.Zeros:
                buffer.Clear();
                return;
            case DeviceFault.RandomBytes:
                Noise.NextBytes(buffer);
                return;
        }
        ReadRegisters(Pointer, buffer);
    }

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }

    public override byte ReadByte()
    {
        Span<byte> value = stackalloc byte[1];
        Read(value);
        return value[0];
    }

    public override void WriteByte(byte value)
    {
        Span<byte> buffer = [value];
        Write(buffer);
    }

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }

    private void Transfer()
    {
        Transfers++;
        if (Fault == DeviceFault.NoAnswer)
        {
            throw new IOException($"Error 121 performing I2C data transfer to address 0x{ConnectionSettings.DeviceAddress:X2} (no acknowledge).");
        }
    }
}
