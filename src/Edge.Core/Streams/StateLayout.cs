using System.Runtime.InteropServices;

namespace Edge.Streams;

/// <summary>
/// The fixed layout of a stream's state: named f32 or f64 tensors packed one after another in one flat
/// byte buffer (each entry aligned to its element size). Its size depends only on the model's config,
/// never on how many steps have run.
/// </summary>
public sealed class StateLayout
{
    private readonly Dictionary<string, StateEntry> _byName = new(StringComparer.Ordinal);

    /// <summary>Builds a layout of float32 entries from (name, shape) pairs, in order.</summary>
    public StateLayout(IEnumerable<(string Name, int[] Shape)> entries)
        : this(entries.Select(e => (e.Name, e.Shape, StateDType.F32)))
    {
    }

    /// <summary>Builds a layout from (name, shape, dtype) triples, in order.</summary>
    public StateLayout(IEnumerable<(string Name, int[] Shape, StateDType DType)> entries)
    {
        var list = new List<StateEntry>();
        long offset = 0;
        foreach (var (name, shape, dtype) in entries)
        {
            int size = dtype == StateDType.F64 ? 8 : 4;
            offset = (offset + size - 1) / size * size;
            var e = new StateEntry(name, shape, dtype, checked((int)offset));
            Fail.If(!_byName.TryAdd(name, e), EdgeErrorCode.InvalidConfig, $"state entry '{name}' is named twice.");
            list.Add(e);
            offset += e.ByteLength;
        }
        Entries = list;
        Bytes = checked((int)offset);
    }

    /// <summary>The entries in order.</summary>
    public IReadOnlyList<StateEntry> Entries { get; }

    /// <summary>Total bytes of state per stream.</summary>
    public int Bytes { get; }

    /// <summary>True when every entry is float32 (the flat state can be read as floats).</summary>
    public bool AllFloat32 => Entries.All(e => e.DType == StateDType.F32);

    /// <summary>Finds an entry by name.</summary>
    public StateEntry this[string name] => _byName.TryGetValue(name, out var e) ? e
        : throw new KeyNotFoundException($"state entry '{name}' does not exist.");

    /// <summary>An entry's elements as float32 (the entry must be F32).</summary>
    public static Span<float> Floats(Span<byte> state, StateEntry entry) => MemoryMarshal.Cast<byte, float>(entry.Bytes(state));

    /// <summary>An entry's elements as float32 (the entry must be F32).</summary>
    public static ReadOnlySpan<float> Floats(ReadOnlySpan<byte> state, StateEntry entry) => MemoryMarshal.Cast<byte, float>(entry.Bytes(state));

    /// <summary>An entry's elements as float64 (the entry must be F64).</summary>
    public static Span<double> Doubles(Span<byte> state, StateEntry entry) => MemoryMarshal.Cast<byte, double>(entry.Bytes(state));

    /// <summary>An entry's elements as float64 (the entry must be F64).</summary>
    public static ReadOnlySpan<double> Doubles(ReadOnlySpan<byte> state, StateEntry entry) => MemoryMarshal.Cast<byte, double>(entry.Bytes(state));

    /// <summary>
    /// The first value a state must never hold, NaN or +∞, as "entry[index]", or null when there is none.
    /// −∞ is allowed: it is a running maximum's "nothing seen yet" (aaren, gru-attention's softmax).
    /// </summary>
    public string? FirstInvalidValue(ReadOnlySpan<byte> state)
    {
        // By index: a foreach over the IReadOnlyList would box its enumerator, and this runs on hot paths' checks.
        for (int k = 0; k < Entries.Count; k++)
        {
            var e = Entries[k];
            if (e.DType == StateDType.F64)
            {
                var d = Doubles(state, e);
                for (int i = 0; i < d.Length; i++)
                {
                    if (double.IsNaN(d[i]) || double.IsPositiveInfinity(d[i])) return $"{e.Name}[{i}] = {d[i]}";
                }
            }
            else
            {
                var f = Floats(state, e);
                for (int i = 0; i < f.Length; i++)
                {
                    if (float.IsNaN(f[i]) || float.IsPositiveInfinity(f[i])) return $"{e.Name}[{i}] = {f[i]}";
                }
            }
        }
        return null;
    }
}
