"""Write and read Edge model packages, safetensors and .npy files from Python.

Used only by the scripts under models/ (reference models, training, export); the runtime
never needs Python. The safetensors layout is the public one: an 8-byte little-endian header
length, a JSON header, then the raw little-endian tensor bytes in header order.
"""
import hashlib
import json
import os
import struct

import numpy as np

_DTYPES = {np.dtype("float32"): "F32", np.dtype("float16"): "F16", np.dtype("int64"): "I64",
           np.dtype("int32"): "I32", np.dtype("float64"): "F64", np.dtype("uint8"): "U8"}
_NP = {v: k for k, v in _DTYPES.items()}


def write_safetensors(path, tensors, metadata=None):
    """Write an ordered dict name -> numpy array (C order, little-endian) atomically."""
    header = {}
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    offset = 0
    blobs = []
    for name, arr in tensors.items():
        arr = np.ascontiguousarray(arr)
        if arr.dtype not in _DTYPES:
            raise ValueError(f"{name}: unsupported dtype {arr.dtype}")
        raw = arr.astype(arr.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": _DTYPES[arr.dtype], "shape": list(arr.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    hjson = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hjson += b" " * ((8 - len(hjson) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(hjson)))
        f.write(hjson)
        for b in blobs:
            f.write(b)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def read_safetensors(path):
    """Return (dict name -> numpy array, metadata dict)."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    meta = header.pop("__metadata__", {})
    base = 8 + n
    out = {}
    for name, info in header.items():
        a, b = info["data_offsets"]
        out[name] = np.frombuffer(data[base + a:base + b], dtype=_NP[info["dtype"]]).reshape(info["shape"]).copy()
    return out, meta


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_package(folder, family, config, tensors, provenance, extra_files=(), onnx=None, weights_dtype=np.float32, **top):
    """Write model.json + weights.safetensors (float32 tensors named as the reference state_dict).

    extra_files: names of files already written into `folder` (step.onnx, tokenizer.json, ...)
    whose sha256 goes into model.json. `top` adds other top-level model.json keys
    (tokenizer, codec, precision).
    """
    os.makedirs(folder, exist_ok=True)
    weights = {k: np.asarray(v, dtype=weights_dtype) for k, v in tensors.items()}
    write_safetensors(os.path.join(folder, "weights.safetensors"), weights)
    files = ["weights.safetensors"] + list(extra_files)
    if onnx:
        files.append(onnx)
    doc = {"format": "edge-model", "version": 1, "family": family, "config": config,
           "weights": "weights.safetensors"}
    if onnx:
        doc["onnx"] = onnx
    doc.update(top)
    doc["provenance"] = provenance
    doc["sha256"] = {name: sha256_file(os.path.join(folder, name)) for name in sorted(set(files))}
    with open(os.path.join(folder, "model.json"), "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


def add_package_file(folder, name, onnx=False):
    """Register a file already written into a package folder (e.g. an exported step.onnx) in its
    model.json: its sha256 joins the map (every listed file's hash is recomputed) and, with
    onnx=True, model.json's "onnx" key names it. Nothing else in the package changes."""
    path = os.path.join(folder, "model.json")
    with open(path) as f:
        doc = json.load(f)
    if onnx:
        # keep write_package's key order: "onnx" right after "weights"
        out = {}
        for k, v in doc.items():
            if k == "onnx":
                continue
            out[k] = v
            if k == "weights":
                out["onnx"] = name
        doc = out
    files = set(doc.get("sha256", {})) | {name}
    sha = {n: sha256_file(os.path.join(folder, n)) for n in sorted(files)}
    doc.pop("sha256", None)
    doc["sha256"] = sha
    with open(path, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
