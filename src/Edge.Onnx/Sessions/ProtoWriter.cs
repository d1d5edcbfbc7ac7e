using System.Text;

namespace Edge.Onnx.Sessions;

/// <summary>Just enough of the protobuf wire format to write a small ONNX ModelProto: varints, strings and nested messages.</summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream _out = new();

    public void Varint(int field, long value)
    {
        Tag(field, 0);
        Raw((ulong)value);
    }

    public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public void Message(int field, Action<ProtoWriter> write)
    {
        var inner = new ProtoWriter();
        write(inner);
        Bytes(field, inner.ToArray());
    }

    public byte[] ToArray() => _out.ToArray();

    private void Bytes(int field, byte[] bytes)
    {
        Tag(field, 2);
        Raw((ulong)bytes.Length);
        _out.Write(bytes);
    }

    private void Tag(int field, int wireType) => Raw((ulong)((field << 3) | wireType));

    private void Raw(ulong v)
    {
        while (v >= 0x80)
        {
            _out.WriteByte((byte)(v | 0x80));
            v >>= 7;
        }
        _out.WriteByte((byte)v);
    }
}
