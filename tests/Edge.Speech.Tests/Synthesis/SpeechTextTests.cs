using Edge.Speech.Synthesis;

namespace Edge.Speech.Tests.Synthesis;

public class SpeechTextTests
{
    [Fact]
    public void Text_is_lower_cased_its_white_space_collapsed_and_split_at_marks()
    {
        var t = SpeechText.Prepare("  The Weather\n\nis NICE today.  Is it?Yes!! Really...  ok ", 150);
        Assert.Equal("the weather is nice today. is it?yes!! really... ok", t.Normalized);
        Assert.Equal(["the weather is nice today.", "is it?yes!!", "really...", "ok."], t.Sentences);
        Assert.Equal(2, t.OriginalIndex(0));          // 't' of "The"
        Assert.Equal(15, t.OriginalIndex(12));        // 'i' of "is", after the line breaks
    }

    [Fact]
    public void A_long_sentence_is_cut_at_a_comma_else_a_space_below_the_limit()
    {
        var t = SpeechText.Prepare("first part here, second part is longer, third.", 20);
        Assert.Equal(["first part here.", "second part is.", "longer, third."], t.Sentences);
        Assert.All(t.Sentences, s => Assert.True(s.Length <= 21, s));

        var words = string.Join(' ', Enumerable.Repeat("word", 100)) + ".";
        var w = SpeechText.Prepare(words, 150);
        Assert.All(w.Sentences, s => Assert.InRange(s.Length, 2, 151));
        Assert.All(w.Sentences.SkipLast(1), s => Assert.InRange(s.Length, 140, 151));
        Assert.Equal(words.Replace(".", ""), string.Join(' ', w.Sentences).Replace(".", ""));

        var unbroken = SpeechText.Prepare(new string('a', 50), 20);
        Assert.Equal([new string('a', 20) + ".", new string('a', 20) + ".", new string('a', 10) + "."], unbroken.Sentences);
    }
}
