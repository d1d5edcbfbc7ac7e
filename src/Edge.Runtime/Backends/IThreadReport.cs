namespace Edge.Backends;

/// <summary>A CPU step model that splits its step's products across threads says how many, and what its workers allocate.</summary>
public interface IThreadReport
{
    /// <summary>Threads one step's large products are split across, the stepping thread included (1: it alone).</summary>
    int Threads { get; }

    /// <summary>Managed bytes the model's worker threads have allocated since they started (0 with one thread): a step's allocation beyond the stepping thread's.</summary>
    long WorkerAllocatedBytes { get; }
}
