
namespace Edge.Cli.Tests.Docs;

/// <summary>The repository documents itself: every relative link in its Markdown files reaches a file inside it.</summary>
public class DocLinkTests
{
    [Fact]
    public void Every_relative_link_resolves_to_a_file_or_heading_inside_the_repository()
    {
        string root = Path.GetFullPath(RepoPaths.Root);
        var pages = Directory.EnumerateFiles(root, "*.md", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj" || p.StartsWith('.')))
            .ToList();
        Assert.Contains(pages, p => p.EndsWith(Path.Combine("docs", "package-format.md"), StringComparison.Ordinal));
        var broken = new List<string>();
        foreach (string page in pages)
        {
            string where = Path.GetRelativePath(root, page);
            foreach (string target in MarkdownText.LinkTargets(File.ReadAllText(page)))
            {
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal)) continue;
                int hash = target.IndexOf('#');
                string path = hash < 0 ? target : target[..hash];
                string anchor = hash < 0 ? "" : target[(hash + 1)..];
                string full = path.Length == 0 ? page : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, Uri.UnescapeDataString(path)));
                if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    broken.Add($"{where}: {target} points outside the repository");
                else if (!File.Exists(full) && !Directory.Exists(full))
                    broken.Add($"{where}: {target} does not exist");
                else if (anchor.Length > 0 && !MarkdownText.Anchors(File.ReadAllText(full)).Contains(anchor))
                    broken.Add($"{where}: {target} names no heading of {Path.GetRelativePath(root, full)}");
            }
        }
        Assert.True(broken.Count == 0, string.Join("\n", broken));
    }
}
