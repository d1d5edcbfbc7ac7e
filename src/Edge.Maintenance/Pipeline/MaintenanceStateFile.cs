using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Edge.Formats.Safetensors;
using Edge.Maintenance.Laser;
using Edge.Streams;

namespace Edge.Maintenance.Pipeline;

/// <summary>
/// The pipeline's state file: safetensors with each model's state entries (<c>predictor.*</c>, <c>detector.*</c>,
/// <c>rul.*</c>, in their dtypes) and the pipeline's own (<c>pipeline.*</c>), metadata naming the format, the three
/// models' sha256, the end-of-life options and a sha256 checksum of every tensor's bytes in file order. Written
/// atomically; on load the size is checked before anything is read, every tensor's name, dtype and shape before it is
/// allocated, then the checksum and the counters' ranges, before any of it reaches the pipeline.
/// </summary>
internal static class MaintenanceStateFile
{
    public const string Format = "edge-pdm-state";
    public const int Version = 1;

    /// <summary>What a valid file held, ready to copy into the pipeline.</summary>
    public sealed record Contents(byte[] Predictor, byte[] Detector, byte[] Rul, double[] ReferenceReadings, long[] ReferenceTicks,
        double[] References, float[] Recent, PipelineCounters Counters);

    private sealed record Tensor(string Name, int[] Shape, TensorDType DType, int Offset, int Bytes);

    public static byte[] Encode(MaintenancePipeline p, byte[] predictor, byte[] detector, byte[] rul)
    {
        var counters = new long[PipelineCounters.Count];
        p.Counters.Write(counters);
        var layout = Layout(p);
        var data = new byte[layout.Sum(t => t.Bytes)];
        int at = 0;
        void Put(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(data.AsSpan(at));
            at += bytes.Length;
        }
        // Entry by entry: a model's flat state may pad between f32 and f64 entries, the file does not.
        foreach (var (state, bytes) in new[] { (p.Models.Predictor.State, predictor), (p.Models.Detector.State, detector), (p.Models.Rul.State, rul) })
        {
            foreach (var e in state.Entries) Put(e.Bytes(bytes.AsSpan()));
        }
        Put(MemoryMarshal.AsBytes(p.ReferenceReadings.AsSpan()));
        Put(MemoryMarshal.AsBytes(p.ReferenceTicks.AsSpan()));
        Put(MemoryMarshal.AsBytes(p.References.AsSpan()));
        Put(MemoryMarshal.AsBytes(p.Recent.AsSpan()));
        Put(MemoryMarshal.AsBytes(counters.AsSpan()));
        var entries = layout.Select(t => new SafetensorsWriter.RawEntry(t.Name, t.Shape, t.DType, data.AsMemory(t.Offset, t.Bytes))).ToList();
        var meta = Metadata(p);
        meta["checksum"] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(data));
        return SafetensorsWriter.ToRawBytes(entries, meta);
    }

    public static Contents Load(string path, MaintenancePipeline p)
    {
        Fail.If(string.IsNullOrEmpty(path), EdgeErrorCode.InvalidArgument, "the pipeline state file's path is empty; name a file.");
        Fail.If(!File.Exists(path), EdgeErrorCode.FileNotFound, $"{path}: no such pipeline state file.");
        var layout = Layout(p);
        int dataBytes = layout.Sum(t => t.Bytes);
        // The header of a valid file is a few kilobytes; anything far larger is not ours, and is refused before it is read.
        using var file = Open(path, dataBytes + (64 << 10));
        var meta = file.Metadata;
        string Meta(string key) => meta.TryGetValue(key, out var v) ? v
            : Fail.With<string>(EdgeErrorCode.InvalidState, $"{path}: not a pipeline state file (metadata '{key}' is missing). Save it with MaintenancePipeline.SaveState.");
        Fail.If(Meta("format") != Format, EdgeErrorCode.InvalidState,
            $"{path}: metadata format is '{MessageText.Value(Meta("format"))}', not '{Format}'; a single model's state file loads with ModelStream.LoadState.");
        Fail.If(Meta("format_version") != Version.ToString(CultureInfo.InvariantCulture), EdgeErrorCode.InvalidState,
            $"{path}: pipeline state format version {MessageText.Value(Meta("format_version"))}; this runtime reads version {Version}.");
        foreach (var (role, model) in new[] { ("predictor", p.Models.Predictor), ("detector", p.Models.Detector), ("rul", p.Models.Rul) })
        {
            string saved = Meta(role + "_sha256");
            Fail.If(saved != model.Sha256, EdgeErrorCode.StateModelMismatch,
                $"{path}: saved with {role} model {Short(saved)}, but this pipeline's {role} is {Short(model.Sha256)} ({model.Package.Path}). Load it into a pipeline over the models that saved it.");
        }
        var expected = Metadata(p);
        foreach (var key in new[] { "end_of_life_rise", "end_of_life_samples" })
        {
            Fail.If(Meta(key) != expected[key], EdgeErrorCode.InvalidState,
                $"{path}: saved with {key} {MessageText.Value(Meta(key))}, this pipeline uses {expected[key]}; load it with the same MaintenancePipelineOptions.");
        }
        Fail.If(file.Tensors.Count != layout.Count, EdgeErrorCode.InvalidState,
            $"{path}: holds {file.Tensors.Count} tensors, the pipeline's state has {layout.Count}. The file is not this pipeline's state.");
        foreach (var t in layout)
        {
            if (!file.TryGet(t.Name, out var info)) Fail.With(EdgeErrorCode.InvalidState, $"{path}: state tensor '{t.Name}' is missing.");
            Fail.If(info.DType != t.DType || !info.Shape.AsSpan().SequenceEqual(t.Shape), EdgeErrorCode.InvalidState,
                $"{path}: state tensor '{t.Name}' is {info.DType} {info.ShapeText}, expected {t.DType} {Fail.Shape(t.Shape)}.");
        }
        // Every size is now known to be the expected one, so the buffer is ours to size.
        var data = new byte[dataBytes];
        foreach (var t in layout)
        {
            file.TryGet(t.Name, out var info);
            file.ReadRaw(info, data.AsSpan(t.Offset, t.Bytes));
        }
        Fail.If(Meta("checksum") != "sha256:" + Convert.ToHexStringLower(SHA256.HashData(data)), EdgeErrorCode.InvalidState,
            $"{path}: checksum does not match its contents. The file is corrupt; use another copy or start the run again.");
        return Decode(path, p, layout, data);
    }

    private static Contents Decode(string path, MaintenancePipeline p, List<Tensor> layout, byte[] data)
    {
        int i = 0;
        ReadOnlySpan<byte> Next() { var t = layout[i++]; return data.AsSpan(t.Offset, t.Bytes); }
        byte[] Model(StateLayout state)
        {
            var bytes = new byte[state.Bytes];
            for (int e = 0; e < state.Entries.Count; e++)
            {
                var entry = state.Entries[e];
                Next().CopyTo(entry.Bytes(bytes.AsSpan()));
            }
            return bytes;
        }
        var predictor = Model(p.Models.Predictor.State);
        var detector = Model(p.Models.Detector.State);
        var rul = Model(p.Models.Rul.State);
        var readings = MemoryMarshal.Cast<byte, double>(Next()).ToArray();
        var ticks = MemoryMarshal.Cast<byte, long>(Next()).ToArray();
        var references = MemoryMarshal.Cast<byte, double>(Next()).ToArray();
        var recent = MemoryMarshal.Cast<byte, float>(Next()).ToArray();
        var counterValues = MemoryMarshal.Cast<byte, long>(Next());
        string? bad = PipelineCounters.TryRead(counterValues, p.Models.RulWarmup, out var counters);
        bad ??= !readings.All(double.IsFinite) || !recent.All(float.IsFinite) || !references.All(double.IsFinite) ? "a reference reading or a recent sample (not finite)"
            : counters.HaveReferences && !(references[0] > 0 && references[1] > 0) ? "the references (not positive)"
            : ticks.Any(t => t < 0 || t > DateTimeOffset.MaxValue.UtcTicks) ? "a reference reading's time" : null;
        Fail.If(bad is not null, EdgeErrorCode.InvalidState,
            $"{path}: {bad} is out of range although the checksum matches; the file was not written by MaintenancePipeline.SaveState. Start the run again.");
        return new Contents(predictor, detector, rul, readings, ticks, references, recent, counters);
    }

    // The tensors in file order; the checksum covers their bytes in this order.
    private static List<Tensor> Layout(MaintenancePipeline p)
    {
        var list = new List<Tensor>();
        int at = 0;
        void Add(string name, int[] shape, TensorDType dtype)
        {
            long count = 1;
            foreach (int d in shape) count *= d;
            int bytes = checked((int)(count * TensorDTypes.Size(dtype)));
            list.Add(new Tensor(name, shape, dtype, at, bytes));
            at += bytes;
        }
        foreach (var (prefix, model) in new[] { ("predictor", p.Models.Predictor), ("detector", p.Models.Detector), ("rul", p.Models.Rul) })
        {
            foreach (var e in model.State.Entries) Add($"{prefix}.{e.Name}", e.Shape, e.DType == StateDType.F64 ? TensorDType.F64 : TensorDType.F32);
        }
        Add("pipeline.reference_readings", [LaserFeatures.ReferenceSamples, 3], TensorDType.F64);
        Add("pipeline.reference_ticks", [LaserFeatures.ReferenceSamples], TensorDType.I64);
        Add("pipeline.references", [3], TensorDType.F64);
        Add("pipeline.recent", [p.Models.RulWarmup, LaserFeatures.Count], TensorDType.F32);
        Add("pipeline.counters", [PipelineCounters.Count], TensorDType.I64);
        return list;
    }

    private static Dictionary<string, string> Metadata(MaintenancePipeline p) => new()
    {
        ["format"] = Format,
        ["format_version"] = Version.ToString(CultureInfo.InvariantCulture),
        ["predictor_sha256"] = p.Models.Predictor.Sha256,
        ["detector_sha256"] = p.Models.Detector.Sha256,
        ["rul_sha256"] = p.Models.Rul.Sha256,
        ["end_of_life_rise"] = p.Options.EndOfLifeRise.ToString("R", CultureInfo.InvariantCulture),
        ["end_of_life_samples"] = p.Options.EndOfLifeSamples.ToString(CultureInfo.InvariantCulture),
    };

    private static SafetensorsFile Open(string path, long limit)
    {
        try
        {
            return SafetensorsFile.Open(path, limit);
        }
        catch (EdgeException e) when (e.Code == EdgeErrorCode.InvalidSafetensors)
        {
            throw new EdgeException(EdgeErrorCode.InvalidState, $"{e.Message.TrimEnd('.')} (pipeline state file). Use another copy or start the run again.", e);
        }
    }

    private static string Short(string sha) => sha.Length > 12 ? sha[..12] : sha;
}
