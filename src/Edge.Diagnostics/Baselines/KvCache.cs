using System.Numerics.Tensors;

namespace Edge.Diagnostics.Baselines;

/// <summary>
/// One layer's key/value cache: every step's <c>k</c> and <c>v</c>, appended, never dropped. Stored
/// channel-major (<c>[D, capacity]</c>) so each channel's history is contiguous and a head's scores and
/// weighted values are vector operations over time. Grows by doubling when full.
/// </summary>
internal sealed class KvCache
{
    private readonly int _width;
    private float[] _keys;
    private float[] _values;

    public KvCache(int width, int capacity)
    {
        _width = width;
        Capacity = Math.Max(1, capacity);
        if ((long)width * Capacity > Array.MaxLength) throw TooLong(Capacity);
        _keys = new float[width * Capacity];
        _values = new float[width * Capacity];
    }

    /// <summary>Steps held.</summary>
    public int Length { get; private set; }

    /// <summary>Steps that fit before the next doubling.</summary>
    public int Capacity { get; private set; }

    /// <summary>Appends one step's key and value (<c>D</c> floats each).</summary>
    public void Append(ReadOnlySpan<float> key, ReadOnlySpan<float> value)
    {
        if (Length == Capacity) Reserve(checked(Capacity * 2));
        for (int e = 0; e < _width; e++)
        {
            _keys[e * Capacity + Length] = key[e];
            _values[e * Capacity + Length] = value[e];
        }
        Length++;
    }

    /// <summary>Makes room for <paramref name="capacity"/> steps, keeping what is held.</summary>
    public void Reserve(int capacity)
    {
        if (capacity <= Capacity) return;
        if ((long)_width * capacity > Array.MaxLength) throw TooLong(capacity);
        var keys = new float[_width * capacity];
        var values = new float[_width * capacity];
        for (int e = 0; e < _width; e++)
        {
            _keys.AsSpan(e * Capacity, Length).CopyTo(keys.AsSpan(e * capacity));
            _values.AsSpan(e * Capacity, Length).CopyTo(values.AsSpan(e * capacity));
        }
        (_keys, _values, Capacity) = (keys, values, capacity);
    }

    /// <summary>Forgets all but the first <paramref name="length"/> steps.</summary>
    public void Truncate(int length) => Length = Math.Clamp(length, 0, Length);

    /// <summary>
    /// Softmax attention of one head's query over all held steps: <c>o = Σ_t softmax(q·k_t / √Dh) v_t</c>.
    /// <paramref name="query"/> is the head's slice already divided by √Dh; <paramref name="scores"/> is scratch
    /// of at least <see cref="Length"/> floats.
    /// </summary>
    public void Attend(int firstChannel, ReadOnlySpan<float> query, Span<float> scores, Span<float> output)
    {
        int t = Length;
        Span<float> s = scores[..t];
        TensorPrimitives.Multiply(Keys(firstChannel), query[0], s);
        for (int e = 1; e < query.Length; e++) TensorPrimitives.MultiplyAdd(Keys(firstChannel + e), query[e], s, s);
        float max = TensorPrimitives.Max(s);
        TensorPrimitives.Subtract(s, max, s);
        TensorPrimitives.Exp(s, s);
        float sum = TensorPrimitives.Sum(s);
        for (int e = 0; e < output.Length; e++) output[e] = TensorPrimitives.Dot(Values(firstChannel + e), s) / sum;
    }

    private ReadOnlySpan<float> Keys(int channel) => _keys.AsSpan(channel * Capacity, Length);

    private ReadOnlySpan<float> Values(int channel) => _values.AsSpan(channel * Capacity, Length);

    private EdgeException TooLong(int capacity) =>
        new EdgeException(EdgeErrorCode.InvalidArgument, $"a KV cache of {capacity} steps × {_width} channels does not fit one array; use fewer steps.");
}
