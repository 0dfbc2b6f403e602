namespace Trajectories.Tests.Architecture;

/// <summary>
/// Lines of C# stay at most 120 characters (.editorconfig), so a slice reads at a glance. Raw string literals are the
/// exception: splitting one changes what it says.
/// </summary>
public class line_length
{
    public const int Limit = 120;

    [Fact]
    public void no_line_of_csharp_is_longer_than_the_limit()
    {
        var root = Root();
        var long_ = new List<string>();
        var sources = new[] { "src", "tests", "bench" }
            .SelectMany(folder =>
                Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "obj" or "bin"))
            // Wolverine's pre-generated handlers (make codegen) are written by a tool, not read by people.
            .Where(f => !f.Contains(Path.Combine("Internal", "Generated") + Path.DirectorySeparatorChar));
        foreach (var file in sources)
        {
            var inRaw = false;
            var number = 0;
            foreach (var line in File.ReadLines(file))
            {
                number++;
                var quotes = CountRawQuotes(line);
                if (!inRaw && line.Length > Limit && quotes == 0)
                    long_.Add($"{Path.GetRelativePath(root, file)}:{number} ({line.Length})");
                if (quotes % 2 == 1) inRaw = !inRaw;
            }
        }
        Assert.True(long_.Count == 0, $"{long_.Count} lines longer than {Limit}: {string.Join(", ", long_.Take(20))}");
    }

    private static int CountRawQuotes(string line)
    {
        var count = 0;
        for (var i = line.IndexOf("\"\"\"", StringComparison.Ordinal); i >= 0;
             i = line.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal))
            count++;
        return count;
    }

    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Trajectories.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("Trajectories.sln not found");
    }
}
