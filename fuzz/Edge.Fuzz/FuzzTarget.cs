namespace Edge.Fuzz;

/// <summary>
/// One parser of untrusted bytes under fuzzing. The bytes reach the parser the way a user's file does (as a
/// file on disk where the API takes a path), so what is fuzzed is what a user runs.
/// </summary>
public abstract class FuzzTarget
{
    /// <summary>The name used by fuzz/fuzz.sh, the corpus folder and the replay test.</summary>
    public abstract string Name { get; }

    /// <summary>What the target feeds the bytes to, in a few words.</summary>
    public abstract string Parses { get; }

    /// <summary>Valid inputs that start a corpus: small, so that AFL's mutations stay fast.</summary>
    public abstract IEnumerable<FuzzSeed> Seeds(FuzzFixtures fixtures);

    /// <summary>Parses <paramref name="input"/>; returns for a valid object, throws <c>EdgeException</c> for a refused one.</summary>
    public abstract void Run(byte[] input, FuzzFixtures fixtures);
}
