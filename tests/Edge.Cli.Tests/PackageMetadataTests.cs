using System.Xml.Linq;

namespace Edge.Cli.Tests;

/// <summary>
/// What `dotnet pack` makes (docs/packaging.md), read from the project files rather than by packing: the libraries a user
/// references are packed with a description, everything they depend on inside the repository is packed too (else
/// restoring the package fails on a dependency that was never published), and tests, benchmarks, samples and fuzz
/// harnesses are never packed.
/// </summary>
public class PackageMetadataTests
{
    private static readonly string Root = RepoPaths.Root;

    private static readonly string[] Libraries =
        ["Edge.Core", "Edge.Kernels", "Edge.Runtime", "Edge.Onnx", "Edge.Audio", "Edge.Sensors", "Edge.Speech", "Edge.Maintenance"];

    [Fact]
    public void The_libraries_a_user_references_are_packed_with_a_description()
    {
        foreach (string name in Libraries)
        {
            var project = Project(name);
            Assert.True(Packable(project), $"{name} is not packed");
            string? description = Property(project, "Description");
            Assert.False(string.IsNullOrWhiteSpace(description), $"{name} has no Description");
            Assert.True(description!.Length >= 40, $"{name}'s Description says too little: '{description}'");
        }
    }

    [Fact]
    public void Every_project_a_packed_library_references_is_packed_too()
    {
        var missing = new List<string>();
        foreach (string file in SourceProjects().Where(p => Packable(p) && !IsTool(p)))
        {
            foreach (var reference in XDocument.Load(file).Descendants("ProjectReference"))
            {
                string target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, reference.Attribute("Include")!.Value.Replace('\\', '/')));
                if (!Packable(target)) missing.Add($"{Path.GetFileNameWithoutExtension(file)} → {Path.GetFileNameWithoutExtension(target)}");
            }
        }
        Assert.True(missing.Count == 0, "packed libraries reference projects that are not packed: " + string.Join(", ", missing));
    }

    [Fact]
    public void Tests_benchmarks_samples_and_fuzz_harnesses_are_never_packed()
    {
        var projects = Directory.EnumerateFiles(Root, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}src{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !p.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .ToList();
        Assert.Contains(projects, p => p.EndsWith("Edge.Cli.Tests.csproj", StringComparison.Ordinal));
        Assert.Contains(projects, p => p.EndsWith("Edge.Benchmarks.csproj", StringComparison.Ordinal));
        var packed = projects.Where(Packable).Select(p => Path.GetRelativePath(Root, p)).ToList();
        Assert.True(packed.Count == 0, "packable outside src/: " + string.Join(", ", packed));
    }

    [Fact]
    public void The_tool_is_packed_for_the_platforms_the_packaging_page_names()
    {
        var cli = Project("Edge.Cli");
        Assert.Equal("true", Property(cli, "PackAsTool"));
        Assert.Equal("edge", Property(cli, "ToolCommandName"));
        var rids = Property(cli, "ToolPackageRuntimeIdentifiers")!.Split(';', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("linux-x64", rids);
        string page = File.ReadAllText(Path.Combine(Root, "docs", "packaging.md"));
        foreach (string rid in rids) Assert.Contains($"`edge.{rid}`", page, StringComparison.Ordinal);
    }

    private static string Project(string name) => Path.Combine(Root, "src", name, name + ".csproj");

    private static IEnumerable<string> SourceProjects() =>
        Directory.EnumerateDirectories(Path.Combine(Root, "src")).Select(d => Path.Combine(d, Path.GetFileName(d) + ".csproj")).Where(File.Exists);

    private static bool IsTool(string project) => Property(project, "PackAsTool") == "true";

    private static string? Property(string project, string name) =>
        XDocument.Load(project).Descendants("PropertyGroup").Where(g => g.Attribute("Condition") is null)
            .Elements(name).Select(e => e.Value.Trim()).LastOrDefault();

    // Packable unless the project, or a Directory.Build.props between it and the repository's root, says IsPackable false.
    private static bool Packable(string project)
    {
        if (Property(project, "IsPackable") is { } own) return own != "false";
        for (var dir = Directory.GetParent(project); dir is not null && dir.FullName.Length >= Root.Length; dir = dir.Parent)
        {
            string props = Path.Combine(dir.FullName, "Directory.Build.props");
            if (File.Exists(props) && Property(props, "IsPackable") is { } set) return set != "false";
        }
        return true;
    }
}
