using Edge.Packages;

namespace Edge.Families;

/// <summary>Finds a package's family among the ones given (the caller's own first, then a backend's, then the built-in ones).</summary>
public static class FamilyRegistry
{
    /// <summary>The family named by <paramref name="package"/>; a clear error listing the known names when none matches.</summary>
    public static IModelFamily Find(ModelPackage package, params IEnumerable<IModelFamily>?[] lists)
    {
        foreach (var list in lists)
        {
            foreach (var f in list ?? [])
            {
                if (f.Name == package.Family) return f;
            }
        }
        var names = lists.SelectMany(l => l ?? []).Select(f => f.Name).Distinct();
        return Fail.With<IModelFamily>(EdgeErrorCode.UnsupportedFamily,
            $"{package.Path}: family '{package.Family}' is not known here (known: {string.Join(", ", names)}). A family that comes with a backend needs that backend (EdgeModelOptions.Backend); a family of your own is registered in EdgeModelOptions.Families.");
    }
}
