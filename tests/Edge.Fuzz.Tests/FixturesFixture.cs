namespace Edge.Fuzz.Tests;

/// <summary>One <see cref="FuzzFixtures"/> (models loaded once, one scratch folder) for a test class.</summary>
public sealed class FixturesFixture : IDisposable
{
    public FuzzFixtures Fixtures { get; } = new();

    public void Dispose() => Fixtures.Dispose();
}
