namespace Edge.Kernels;

/// <summary>
/// Independent pieces of work numbered 0 … n − 1 (one a stream of a batch) that <see cref="KernelThreads.TryRunRows"/>
/// hands out to the pool's threads, each row once, to whichever thread is free. A row must write only its own
/// outputs and must not throw.
/// </summary>
public interface IRowWork
{
    /// <summary>Does row <paramref name="row"/>'s work.</summary>
    void Run(int row);
}
