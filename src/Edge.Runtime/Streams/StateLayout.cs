namespace Edge.Streams;

/// <summary>
/// The fixed layout of a stream's state: named float32 tensors packed one after another in one flat
/// buffer. Its size depends only on the model's config, never on how many steps have run.
/// </summary>
public sealed class StateLayout
{
    /// <summary>Builds a layout from (name, shape) pairs, in order.</summary>
    public StateLayout(IEnumerable<(string Name, int[] Shape)> entries)
    {
        var list = new List<StateEntry>();
        int offset = 0;
        foreach (var (name, shape) in entries)
        {
            var e = new StateEntry(name, shape, offset);
            list.Add(e);
            offset += e.Length;
        }
        Entries = list;
        TotalLength = offset;
    }

    /// <summary>The entries in order.</summary>
    public IReadOnlyList<StateEntry> Entries { get; }

    /// <summary>Total floats in the flat state.</summary>
    public int TotalLength { get; }

    /// <summary>Total bytes of state per stream.</summary>
    public long Bytes => TotalLength * 4L;

    /// <summary>Finds an entry by name.</summary>
    public StateEntry this[string name] => Entries.FirstOrDefault(e => e.Name == name)
        ?? throw new KeyNotFoundException($"state entry '{name}' does not exist.");
}
