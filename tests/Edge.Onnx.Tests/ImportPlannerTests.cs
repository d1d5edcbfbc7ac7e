using Edge.Onnx.Import;

namespace Edge.Onnx.Tests;

/// <summary>How the importer tells frame, state, output and constants apart from names and shapes alone.</summary>
public sealed class ImportPlannerTests
{
    private static GraphPort F(string name, params long[] dims) => new(name, "float32", dims);

    private static ImportPlan Plan(GraphPort[] inputs, GraphPort[] outputs, OnnxImportOptions? o = null) =>
        ImportPlanner.Plan(inputs, outputs, o ?? new OnnxImportOptions(), "g.onnx");

    [Theory]
    [InlineData("h", "hn")]
    [InlineData("h0", "hn")]
    [InlineData("c0", "cn")]
    [InlineData("state", "stateN")]
    [InlineData("state_in", "state_out")]
    [InlineData("cache", "cache_out")]
    [InlineData("past_key", "present_key")]
    [InlineData("past_key_values.0.key", "present.0.key")]
    [InlineData("h_prev", "h_next")]
    [InlineData("in_state", "out_state")]
    public void Common_state_names_pair(string input, string output) => Assert.True(ImportPlanner.IsSuccessor(input, output));

    [Theory]
    [InlineData("input", "output")]
    [InlineData("h", "h")]
    [InlineData("h0", "c0")]
    [InlineData("state", "output")]
    public void Other_names_do_not(string input, string output) => Assert.False(ImportPlanner.IsSuccessor(input, output));

    [Fact]
    public void A_keyword_spotter_with_two_caches_pairs_by_name_and_keeps_its_input_and_output()
    {
        var p = Plan([F("x", 1, 40), F("cache_a", 1, 64, 8), F("cache_b", 1, 64, 4)], [F("logits", 1, 12), F("cache_b_out", 1, 64, 4), F("cache_a_out", 1, 64, 8)]);
        Assert.Equal("x", p.Input);
        Assert.Equal("logits", p.Output);
        Assert.Equal([("cache_a", "cache_a_out"), ("cache_b", "cache_b_out")], p.State);
    }

    [Fact]
    public void Names_that_follow_no_convention_pair_by_a_shape_only_one_output_fits()
    {
        var p = Plan([F("frame", -1, 80), F("mem", 2, -1, 256)], [F("probs", -1, 1), F("mem2", 2, -1, 256)]);
        Assert.Equal([("mem", "mem2")], p.State);
        Assert.Equal(["by shape"], p.HowPaired);
        Assert.Equal("frame", p.Input);
    }

    [Fact]
    public void When_shapes_cannot_tell_frame_from_state_the_options_must()
    {
        GraphPort[] inputs = [F("a", 1, 16), F("b", 1, 16)];
        GraphPort[] outputs = [F("y", 1, 16), F("z", 1, 16)];
        var e = Assert.Throws<EdgeException>(() => Plan(inputs, outputs));
        Assert.Contains("--input", e.Message);
        var p = Plan(inputs, outputs, new OnnxImportOptions { Input = "a", State = [("b", "z")] });
        Assert.Equal(("a", "y"), (p.Input, p.Output));
        Assert.Equal([("b", "z")], p.State);
    }

    [Fact]
    public void A_graph_without_state_or_with_an_unpaired_output_is_refused()
    {
        Assert.Contains("no state pair", Assert.Throws<EdgeException>(() => Plan([F("x", 1, 4)], [F("y", 1, 2)])).Message);
        Assert.Contains("not paired", Assert.Throws<EdgeException>(() => Plan([F("x", 1, 4), F("h", 1, 8)], [F("y", 1, 2), F("hn", 1, 8), F("extra", 1, 3)])).Message);
        var e = Assert.Throws<EdgeException>(() => Plan([F("x", 1, 4), new GraphPort("ids", "int64", [1, 7])], [F("y", 1, 2)]));
        Assert.Contains("not a scalar", e.Message);
    }
}
