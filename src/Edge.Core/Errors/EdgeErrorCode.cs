namespace Edge;

/// <summary>What went wrong, as a stable code that scripts and callers can switch on.</summary>
public enum EdgeErrorCode
{
    /// <summary>An argument to a public method was out of range or of the wrong length.</summary>
    InvalidArgument = 1,
    /// <summary>A file or folder named by the caller does not exist or cannot be read.</summary>
    FileNotFound = 2,
    /// <summary>A model package (model.json, its files) is malformed.</summary>
    InvalidPackage = 3,
    /// <summary>model.json has a key the family does not know, or lacks one it needs.</summary>
    InvalidConfig = 4,
    /// <summary>A safetensors file is malformed: header, offsets, dtype or sizes.</summary>
    InvalidSafetensors = 5,
    /// <summary>A tensor the family needs is missing from the weights.</summary>
    MissingTensor = 6,
    /// <summary>A tensor has a shape other than the config implies.</summary>
    ShapeMismatch = 7,
    /// <summary>A state file is malformed, truncated or fails its checksum.</summary>
    InvalidState = 8,
    /// <summary>A state file or snapshot was made by another model.</summary>
    StateModelMismatch = 9,
    /// <summary>A file's sha256 differs from the one model.json records.</summary>
    ChecksumMismatch = 10,
    /// <summary>No backend implements the package's family.</summary>
    UnsupportedFamily = 11,
    /// <summary>The requested backend or execution provider cannot run here.</summary>
    BackendUnavailable = 12,
    /// <summary>Input data (an .npy file, a CSV, a sensor frame) is malformed.</summary>
    InvalidInput = 13,
    /// <summary>A native library (ONNX Runtime, audio, I/O) reported an error.</summary>
    NativeError = 14,

    /// <summary>A text-conditioned stream stepped before its text was set.</summary>
    TextRequired = 15,

    /// <summary>A sensor, bus or broker cannot be reached or set up (wrong address, no such device, broker down).</summary>
    SensorUnavailable = 16,

    /// <summary>A stream was used from two threads at once; a stream belongs to one thread at a time (the model is shared).</summary>
    ConcurrentUse = 17,
}
