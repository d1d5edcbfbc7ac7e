using System.Globalization;
using System.Text;

namespace Edge;

/// <summary>
/// Makes text from untrusted input safe to echo in an error message: control and invisible format
/// characters are escaped, long values and long lists are cut with an ellipsis, so a message stays one
/// readable line whatever bytes the input held.
/// </summary>
public static class MessageText
{
    /// <summary>How many characters of one echoed value a message keeps by default.</summary>
    public const int ValueLength = 60;

    /// <summary>How many items of an echoed list a message keeps by default.</summary>
    public const int ListItems = 12;

    /// <summary>The longest whole message <see cref="Line"/> keeps.</summary>
    public const int LineLength = 1000;

    /// <summary>
    /// A value from the input as it may appear in a message: control characters written as escapes
    /// (<c>\n</c>, <c>\x1B</c>, <c>\u202E</c>), cut to <paramref name="maxLength"/> characters with an ellipsis.
    /// </summary>
    public static string Value(string? value, int maxLength = ValueLength)
    {
        if (value is null) return "";
        var sb = new StringBuilder(Math.Min(value.Length, maxLength) + 8);
        for (int i = 0; i < value.Length; i++)
        {
            if (sb.Length >= maxLength)
            {
                sb.Append('…');
                break;
            }
            Append(sb, value, ref i);
        }
        return sb.ToString();
    }

    /// <summary>
    /// A list from the input (column names, keys) as it may appear in a message: the first
    /// <paramref name="maxItems"/> values, each as <see cref="Value"/> writes it, then how many were left out.
    /// </summary>
    public static string List(IEnumerable<string> items, int maxItems = ListItems, int maxItemLength = ValueLength)
    {
        var sb = new StringBuilder();
        int count = 0;
        foreach (string item in items)
        {
            if (count < maxItems)
            {
                if (count > 0) sb.Append(", ");
                sb.Append(Value(item, maxItemLength));
            }
            count++;
        }
        if (count > maxItems) sb.Append(CultureInfo.InvariantCulture, $", … ({count - maxItems} more)");
        return sb.ToString();
    }

    /// <summary>
    /// A whole message as one line: line breaks and other control characters escaped, cut to
    /// <paramref name="maxLength"/> characters with an ellipsis.
    /// </summary>
    public static string Line(string message, int maxLength = LineLength) => Value(message, maxLength);

    private static void Append(StringBuilder sb, string s, ref int i)
    {
        char c = s[i];
        if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
        {
            sb.Append(c).Append(s[++i]);
            return;
        }
        switch (c)
        {
            case '\n': sb.Append("\\n"); return;
            case '\r': sb.Append("\\r"); return;
            case '\t': sb.Append("\\t"); return;
        }
        var category = char.GetUnicodeCategory(c);
        bool hidden = category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;
        if (!hidden) sb.Append(c);
        else if (c <= '\xFF') sb.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}");
        else sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
    }
}
