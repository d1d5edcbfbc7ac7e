using System.Text;
using Edge.Formats.Npy;

namespace Edge.Runtime.Tests.Formats;

public class NpyFileTests
{
    [Fact]
    public void Float32_arrays_round_trip_with_their_shape()
    {
        var a = new NpyArray([3, 2], [1, 2, 3, 4, 5, 6]);
        var back = NpyFile.Parse(NpyFile.ToBytes(a), "x.npy");
        Assert.Equal([3, 2], back.Shape);
        Assert.Equal(a.Data, back.Data);
        Assert.Equal([5f, 6f], back.Row(2).ToArray());
        Assert.Equal(0, NpyFile.ToBytes(a).AsSpan(0, 10 + BitConverter.ToUInt16(NpyFile.ToBytes(a), 8)).Length % 64);
    }

    private static byte[] Header(string dict, int dataBytes)
    {
        var h = Encoding.Latin1.GetBytes(dict + "\n");
        var b = new byte[10 + h.Length + dataBytes];
        b[0] = 0x93; "NUMPY"u8.CopyTo(b.AsSpan(1)); b[6] = 1;
        BitConverter.GetBytes((ushort)h.Length).CopyTo(b, 8);
        h.CopyTo(b, 10);
        return b;
    }

    [Fact]
    public void Int64_ids_and_float64_values_are_read_as_float32()
    {
        var b = Header("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }", 24);
        BitConverter.GetBytes(7L).CopyTo(b, b.Length - 24);
        BitConverter.GetBytes(4098L).CopyTo(b, b.Length - 16);
        Assert.Equal([7f, 4098f, 0f], NpyFile.Parse(b, "ids.npy").Data);
    }

    [Theory]
    [InlineData("{'descr':'<f4','fortran_order':False,'shape':(2,),}")]
    [InlineData("{ 'descr' : '<f4' , 'fortran_order' : False , 'shape' : ( 2 , ) }")]
    [InlineData("{'shape': (2,), 'fortran_order': False, 'descr': '<f4', }")]
    [InlineData("{'note': 'the 'shape' comes later', 'descr': '<f4', 'fortran_order': False, 'shape': (2,), }")]
    public void Headers_are_read_with_any_spacing_and_key_order(string dict)
    {
        var b = Header(dict, 8);
        BitConverter.GetBytes(1.5f).CopyTo(b, b.Length - 8);
        BitConverter.GetBytes(-2f).CopyTo(b, b.Length - 4);
        var a = NpyFile.Parse(b, "x.npy");
        Assert.Equal([2], a.Shape);
        Assert.Equal([1.5f, -2f], a.Data);
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", 16, "Fortran")]
    [InlineData("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", 8, "not supported")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", 8, "truncated")]
    [InlineData("{'descr': '<f4', 'shape': (4,), }", 16, "cannot parse")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (4, }", 16, "cannot parse")]
    [InlineData("{'descr': '<f4, 'fortran_order': False, 'shape': 4, }", 16, "cannot parse")]
    public void Bad_files_are_refused_with_what_to_do(string dict, int data, string expected)
    {
        var e = Assert.Throws<EdgeException>(() => NpyFile.Parse(Header(dict, data), "in.npy"));
        Assert.Equal(EdgeErrorCode.InvalidInput, e.Code);
        Assert.Contains(expected, e.Message);
        Assert.Contains("in.npy", e.Message);
    }
}
