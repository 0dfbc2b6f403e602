using System.Text.RegularExpressions;

namespace Trajectories.Tests.Architecture;

/// <summary>
/// The feature folders of src/Trajectories depend on each other one way: Careers at the bottom, the features that
/// build on it above, Hosting (and Program.cs) on top. Read from the source, so a `using Trajectories.X` or a
/// qualified `X.Type` that closes a circle fails here before it costs a later change.
/// </summary>
public partial class feature_dependencies
{
    [Fact]
    public void the_feature_folders_form_no_circle()
    {
        var graph = Graph();
        var cycle = FindCycle(graph);
        Assert.True(
            cycle is null,
            $"Feature folders depend on each other in a circle: {string.Join(" -> ", cycle ?? [])}"
                + $" ({Evidence(graph, cycle)})");
    }

    [Fact]
    public void careers_depends_on_no_other_feature()
    {
        var graph = Graph();
        Assert.True(graph["Careers"].Count == 0,
            "Careers is the bottom feature, yet it uses "
                + string.Join("; ", graph["Careers"].Select(kv => $"{kv.Key} in {kv.Value}")));
    }

    [Fact]
    public void only_hosting_knows_every_feature()
    {
        // Retention, Ingestion and Access each build on Careers and do not know each other; Access may erase what
        // Ingestion logged, so it is the one allowed to look at Ingestion.
        var graph = Graph();
        Assert.DoesNotContain("Ingestion", graph["Retention"].Keys);
        Assert.DoesNotContain("Access", graph["Retention"].Keys);
        Assert.DoesNotContain("Retention", graph["Ingestion"].Keys);
        Assert.DoesNotContain("Access", graph["Ingestion"].Keys);
        Assert.DoesNotContain("Hosting", graph.Where(kv => kv.Key != "Hosting").SelectMany(kv => kv.Value.Keys));
    }

    [Fact]
    public void the_reader_sees_a_circle_when_there_is_one()
    {
        var graph = new Dictionary<string, Dictionary<string, string>>
        {
            ["A"] = new() { ["B"] = "a.cs" }, ["B"] = new() { ["C"] = "b.cs" }, ["C"] = new() { ["A"] = "c.cs" },
        };
        Assert.Equal(["A", "B", "C", "A"], FindCycle(graph));
        Assert.Equal(
            ["Ingestion"],
            References("using Trajectories.Ingestion;\nnamespace Trajectories.Access;", "Access"));
        Assert.Equal(
            ["Access"],
            References("namespace Trajectories.Careers;\nvar x = Access.Audit.Header;", "Careers"));
        Assert.DoesNotContain(
            "Access",
            References("// see Access.Audit\nnamespace Trajectories.Careers;\n[Access(Roles.Staff)]", "Careers"));
    }

    private static readonly string Source = Path.Combine(Root(), "src", "Trajectories");

    /// <summary>Feature -> the features it uses, each with one file that shows it.</summary>
    private static Dictionary<string, Dictionary<string, string>> Graph()
    {
        var features = Directory.GetDirectories(Source).Select(Path.GetFileName).OfType<string>()
            // Internal holds Wolverine's pre-generated handlers (make codegen): a tool's output, wired to everything.
            .Where(d => d is not ("bin" or "obj" or "Properties" or "Internal")).ToHashSet();
        var graph = features.ToDictionary(f => f, _ => new Dictionary<string, string>());
        foreach (var feature in features)
            foreach (var file in Directory.EnumerateFiles(
                Path.Combine(Source, feature), "*.cs", SearchOption.AllDirectories))
                foreach (var used in References(File.ReadAllText(file), feature).Where(features.Contains))
                    graph[feature].TryAdd(used, Path.GetRelativePath(Source, file));
        return graph;
    }

    /// <summary>The other features a file names: in a using, fully qualified, or qualified from inside
    /// Trajectories.</summary>
    private static IEnumerable<string> References(string code, string feature)
    {
        var withoutComments = Comment().Replace(code, "");
        return Reference().Matches(withoutComments).Select(m => m.Groups["f"].Value)
            .Where(f => f != feature).Distinct();
    }

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex Comment();

    [GeneratedRegex(@"\bTrajectories\.(?<f>[A-Z]\w+)\b|(?<![\w.""])(?<f>[A-Z]\w+)\.[A-Z]")]
    private static partial Regex Reference();

    private static List<string>? FindCycle(Dictionary<string, Dictionary<string, string>> graph)
    {
        var state = new Dictionary<string, int>();
        var path = new List<string>();
        foreach (var start in graph.Keys.Order())
            if (Visit(start) is { } found) return found;
        return null;

        List<string>? Visit(string node)
        {
            if (state.GetValueOrDefault(node) == 2) return null;
            if (state.GetValueOrDefault(node) == 1) return [.. path.Skip(path.IndexOf(node)), node];
            state[node] = 1;
            path.Add(node);
            foreach (var next in graph.GetValueOrDefault(node)?.Keys.Order() ?? Enumerable.Empty<string>())
                if (Visit(next) is { } found) return found;
            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }
    }

    private static string Evidence(Dictionary<string, Dictionary<string, string>> graph, List<string>? cycle) =>
        cycle is null ? "" : string.Join("; ", cycle.Zip(cycle.Skip(1), (a, b) => $"{a} -> {b} in {graph[a][b]}"));

    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Trajectories.sln"))) dir = dir.Parent;
        return dir?.FullName
            ?? throw new DirectoryNotFoundException("Trajectories.sln not found above " + AppContext.BaseDirectory);
    }
}
