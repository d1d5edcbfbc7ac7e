namespace Edge.Sensors.Tests.Simulated;

/// <summary>A chip with 256 byte-wide registers and an auto-incrementing pointer, as the BME280 and ADXL345 have.</summary>
public abstract class ByteRegisterDevice : SimulatedI2cDevice
{
    protected ByteRegisterDevice(int address) : base(address) { }

    protected byte[] Registers { get; } = new byte[256];

    public byte this[int register] => Registers[register];

    /// <summary>Called before a read so the subclass can put fresh measurements into the data registers.</summary>
    protected virtual void BeforeRead(byte pointer, int length) { }

    /// <summary>Called for each written byte; returns false to leave the register unchanged (read-only or a command).</summary>
    protected virtual bool OnWrite(byte register, byte value) => true;

    protected override void ReadRegisters(byte pointer, Span<byte> destination)
    {
        BeforeRead(pointer, destination.Length);
        for (int i = 0; i < destination.Length; i++) destination[i] = Registers[(pointer + i) & 0xFF];
    }

    protected override void WriteRegisters(byte pointer, ReadOnlySpan<byte> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            byte register = (byte)(pointer + i);
            if (OnWrite(register, data[i])) Registers[register] = data[i];
        }
    }
}
