using FsCheck;
using FsCheck.Fluent;
using Xunit.Sdk;

namespace Edge.Fuzz.Tests;

/// <summary>
/// Property tests of the harness rule in the normal suite, with a fixed seed: every target's seeds under random
/// stacks of havoc-style mutations, and random byte strings, give a valid object or an EdgeException with a code,
/// never another exception or an allocation above the cap.
/// </summary>
public sealed class MutationPropertyTests(FixturesFixture shared) : IClassFixture<FixturesFixture>
{
    private const int CasesPerTarget = 250;

    public static TheoryData<string> Targets() => new(FuzzTargets.All.Select(t => t.Name));

    private static Gen<Mutation> OneMutation { get; } =
        from kind in Gen.Choose(0, Enum.GetValues<MutationKind>().Length - 1)
        from position in Gen.Choose(0, 10_000)
        from argument in Gen.Choose(0, 1 << 20)
        select new Mutation((MutationKind)kind, position, argument);

    [Theory]
    [MemberData(nameof(Targets))]
    public void Mutated_seeds_are_valid_objects_or_coded_refusals(string name)
    {
        var target = FuzzTargets.Find(name)!;
        var seeds = target.Seeds(shared.Fixtures).ToArray();
        var cases =
            from seed in Gen.Choose(0, seeds.Length - 1)
            from count in Gen.Choose(1, 6)
            from edits in Gen.ArrayOf(OneMutation, count)
            select (Seed: seed, Edits: edits);
        Prop.ForAll(Arb.From(cases), c =>
        {
            var input = seeds[c.Seed].Bytes;
            foreach (var m in c.Edits) input = m.Apply(input);
            var outcome = FuzzRule.Apply(target, input, shared.Fixtures);
            if (outcome.IsViolation)
                throw new XunitException($"{name}: seed '{seeds[c.Seed].Name}' with {string.Join(", ", c.Edits)}: {outcome.Detail}\n{outcome.Exception}");
        }).Check(Fixed(name, CasesPerTarget));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Random_bytes_are_coded_refusals_or_valid_objects(string name)
    {
        var target = FuzzTargets.Find(name)!;
        var bytes = Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b));
        Prop.ForAll(Arb.From(bytes), input =>
        {
            var outcome = FuzzRule.Apply(target, input, shared.Fixtures);
            if (outcome.IsViolation) throw new XunitException($"{name}: {Convert.ToHexString(input)}: {outcome.Detail}\n{outcome.Exception}");
        }).Check(Fixed(name + "/bytes", 100));
    }

    // A seed fixed per test, so that a failure reproduces on every machine; FsCheck prints the case it found.
    internal static Config Fixed(string name, int cases)
    {
        ulong seed = 0x5EED;
        foreach (char ch in name) seed = seed * 31 + ch;
        return Config.QuickThrowOnFailure.WithReplay(seed, 0x9E3779B97F4A7C15UL).WithMaxTest(cases).WithQuietOnSuccess(true);
    }
}
