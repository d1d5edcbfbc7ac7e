namespace Edge.Runtime.Tests.Formats;

/// <summary>The one place that makes untrusted text safe to echo in an error message.</summary>
public class MessageTextTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a\nb\r\tc", "a\\nb\\r\\tc")]
    [InlineData("\u0000\u001b[0m\u007f", "\\x00\\x1B[0m\\x7F")]
    [InlineData("right-to-left \u202eevil", "right-to-left \\u202Eevil")]
    [InlineData("caf\u00e9 \U0001F600 ŷ", "caf\u00e9 \U0001F600 ŷ")]
    public void Echoed_values_have_their_control_characters_escaped(string value, string shown)
    {
        Assert.Equal(shown, MessageText.Value(value));
    }

    [Fact]
    public void A_lone_surrogate_is_escaped()
    {
        Assert.Equal("lone \\uD800 half", MessageText.Value("lone " + (char)0xD800 + " half"));
    }

    [Fact]
    public void Long_values_are_cut_with_an_ellipsis()
    {
        string shown = MessageText.Value(new string('x', 200_000));
        Assert.Equal(new string('x', MessageText.ValueLength) + "…", shown);
        Assert.Equal("abc", MessageText.Value("abc", 3));
        Assert.Equal("abc…", MessageText.Value("abcd", 3));
    }

    [Fact]
    public void Long_lists_keep_their_first_items_and_say_how_many_more()
    {
        var items = Enumerable.Range(0, 20_000).Select(i => $"c{i}");
        Assert.Equal("c0, c1, c2, … (19997 more)", MessageText.List(items, 3));
        Assert.Equal("a, b", MessageText.List(["a", "b"], 3));
    }

    [Fact]
    public void A_whole_message_becomes_one_line_cut_at_the_line_limit()
    {
        string line = MessageText.Line("first\nsecond\r\n" + new string('y', 10_000));
        Assert.StartsWith("first\\nsecond\\r\\nyyy", line);
        Assert.DoesNotContain('\n', line);
        Assert.Equal(MessageText.LineLength + 1, line.Length);
    }
}
