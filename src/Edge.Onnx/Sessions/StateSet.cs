using Edge.Onnx.Graphs;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Edge.Onnx.Sessions;

/// <summary>
/// One full set of state tensors. A session keeps two: each step reads one and writes the other, then they
/// swap roles. On the host they are OrtValues over pinned arrays the session can read directly; on a device
/// they are allocated by the session's allocator for that input and never leave the device during steps.
/// </summary>
internal sealed class StateSet : IDisposable
{
    private StateSet(OrtValue[] values, float[][]? arrays)
    {
        Values = values;
        Arrays = arrays;
    }

    /// <summary>One OrtValue per state binding, in layout order.</summary>
    public OrtValue[] Values { get; }

    /// <summary>The pinned host arrays behind <see cref="Values"/>; null for a device set.</summary>
    public float[][]? Arrays { get; }

    public static StateSet OnHost(IReadOnlyList<StateBinding> state)
    {
        var arrays = state.Select(s => new float[s.Entry.Length]).ToArray();
        var values = new OrtValue[state.Count];
        try
        {
            for (int k = 0; k < state.Count; k++) values[k] = OrtValue.CreateTensorValueFromMemory(arrays[k], state[k].Shape);
        }
        catch
        {
            DisposeAll(values);
            throw;
        }
        return new StateSet(values, arrays);
    }

    public static StateSet OnDevice(IReadOnlyList<StateBinding> state, IReadOnlyList<OrtAllocator> allocators)
    {
        var values = new OrtValue[state.Count];
        try
        {
            for (int k = 0; k < state.Count; k++) values[k] = OrtValue.CreateAllocatedTensorValue(allocators[k], TensorElementType.Float, state[k].Shape);
        }
        catch
        {
            DisposeAll(values);
            throw;
        }
        return new StateSet(values, null);
    }

    public void Dispose() => DisposeAll(Values);

    private static void DisposeAll(OrtValue?[] values)
    {
        foreach (var v in values) v?.Dispose();
    }
}
