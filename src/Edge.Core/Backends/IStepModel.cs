using Edge.Streams;

namespace Edge.Backends;

/// <summary>
/// A family's step, built by a backend from a package: immutable, shared by every stream of the model.
/// Implement it to add a family or a backend.
/// </summary>
public interface IStepModel : IDisposable
{
    /// <summary>Floats per step input (a frame, a sensor sample, or token ids as floats).</summary>
    int InputSize { get; }

    /// <summary>Floats per step output.</summary>
    int OutputSize { get; }

    /// <summary>The state's layout; its size never depends on the number of steps.</summary>
    StateLayout State { get; }

    /// <summary>When the input is token ids written as floats, the number of ids (every input an integer below it); 0 for real-valued input.</summary>
    int InputVocabulary => 0;

    /// <summary>The backend's name for reports ("cpu", "onnx:cuda").</summary>
    string BackendName { get; }

    /// <summary>Creates the per-stream part: the state and the scratch buffers one step needs.</summary>
    IStepSession CreateSession();
}
