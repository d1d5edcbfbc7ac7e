namespace Edge.Runtime.Tests.Aaren;

/// <summary>
/// The parallel-form check with inputs ×1000 and queries/keys scaled so that scores reach the thousands:
/// exp of any raw score would overflow, so only a stable running softmax passes.
/// </summary>
public sealed class AarenLargeScoreTests
{
    [Theory]
    [MemberData(nameof(AarenParallelFormTests.Cases), MemberType = typeof(AarenParallelFormTests))]
    public void Stream_matches_the_parallel_form_with_inputs_times_1000_and_large_scores(int seed, int heads)
    {
        var spec = AarenSpec.Random(seed + 50, heads);
        spec.InputMean = new double[spec.InputDim];
        spec.InputStd = Enumerable.Repeat(1.0, spec.InputDim).ToArray();
        spec.MakeScoresLarge(40);
        var inputs = spec.RandomInputs(AarenParallelFormTests.Steps, seed + 2, scale: 1000);
        var (maxErr, maxScore) = AarenParallelFormTests.Compare(spec, inputs);
        Assert.True(maxScore > 500, $"scores reached only {maxScore:F0}; the case must exercise large scores");
        Assert.True(maxErr <= AarenParallelFormTests.Tolerance,
            $"max |stream − parallel| = {maxErr:E3} (max |score| {maxScore:F0}) for {AarenParallelFormTests.Describe(spec)}");
    }
}
