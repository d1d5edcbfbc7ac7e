using Edge.TestSupport;

namespace Edge.Fuzz.Tests;

/// <summary>
/// The committed corpus of every harness (fuzz/corpus/TARGET: the seeds and the inputs AFL++ found that reached
/// new coverage) replayed under the harness rule: a valid object or an EdgeException, no other exception, no
/// allocation above the cap. The seeds must parse.
/// </summary>
public sealed class CorpusReplayTests(FixturesFixture shared) : IClassFixture<FixturesFixture>
{
    public static TheoryData<string> Targets() => new(FuzzTargets.All.Select(t => t.Name));

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_corpus_input_is_a_valid_object_or_a_coded_refusal(string name)
    {
        var target = FuzzTargets.Find(name)!;
        string folder = Path.Combine(RepoPaths.Root, "fuzz", "corpus", name);
        Assert.True(Directory.Exists(folder), $"{name} has no corpus in fuzz/corpus/{name}; run `edge-fuzz seed {name} fuzz/corpus/{name}`.");
        var files = Directory.GetFiles(folder).Order(StringComparer.Ordinal).ToArray();
        Assert.Contains(files, f => Path.GetFileName(f).StartsWith("seed-", StringComparison.Ordinal));
        var violations = new List<string>();
        foreach (string file in files)
        {
            var outcome = FuzzRule.Apply(target, File.ReadAllBytes(file), shared.Fixtures);
            if (outcome.IsViolation) violations.Add($"{Path.GetFileName(file)}: {outcome.Detail}");
            else if (Path.GetFileName(file).StartsWith("seed-", StringComparison.Ordinal) && outcome.Verdict != FuzzVerdict.Valid)
                violations.Add($"{Path.GetFileName(file)} is a seed but was {outcome.Detail}");
        }
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public void Every_target_has_seeds_that_parse_and_a_committed_corpus_that_holds_them()
    {
        foreach (var target in FuzzTargets.All)
        {
            var seeds = target.Seeds(shared.Fixtures).ToArray();
            Assert.NotEmpty(seeds);
            foreach (var seed in seeds)
            {
                Assert.Equal(FuzzVerdict.Valid, FuzzRule.Apply(target, seed.Bytes, shared.Fixtures).Verdict);
                string committed = Path.Combine(RepoPaths.Root, "fuzz", "corpus", target.Name, $"seed-{seed.Name}");
                Assert.True(File.Exists(committed), $"{target.Name}'s seed '{seed.Name}' is not in the corpus; run `edge-fuzz seed {target.Name} fuzz/corpus/{target.Name}`.");
            }
        }
    }
}
