using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Trajectories.Bench;

var quick = new Option<bool>("--quick") { Description = "Smaller data and shorter runs (under 3 minutes)" };
var output = new Option<string?>("--out") { Description = "Also write the results as a Markdown page to this file" };
var staffOnly = new Option<bool>("--staff-only")
{
    Description = "Only the staff-command figures, on an empty database (for diagnosing their tail)"
};
var ingestOnly = new Option<bool>("--ingest-only")
{
    Description = "Only the ingestion figure and its baselines (for diagnosing it)"
};
var modelsOnly = new Option<bool>("--models-only")
{
    Description = "Only what a Cox model costs, in process (no database)"
};
var runs = new Option<int>("--runs") { Description = "Runs per figure (at least 3)", DefaultValueFactory = _ => 3 };
var root = new RootCommand(
    "Trajectories benchmarks: staff commands, projection rebuild and retention queries against this machine's ceilings")
{
    quick, output, runs, staffOnly, ingestOnly, modelsOnly,
};
root.SetAction(async (parse, ct) =>
{
    var runCount = parse.GetValue(runs);
    if (runCount < 3)
    {
        Console.Error.WriteLine("bench: --runs must be at least 3");
        return 2;
    }
    if (parse.GetValue(modelsOnly))
    {
        var models = Models.Run(runCount);
        Console.WriteLine(models);
        if (parse.GetValue(output) is { } modelsFile)
            await File.WriteAllTextAsync(modelsFile, "# Cox models (make bench-models, " +
                $"{DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores)\n\n" + models);
        return 0;
    }
    var admin = Environment.GetEnvironmentVariable("TRAJECTORIES_BENCH_CONNECTION");
    if (string.IsNullOrWhiteSpace(admin))
    {
        Console.Error.WriteLine("bench: set TRAJECTORIES_BENCH_CONNECTION to a PostgreSQL server where the user " +
            "may create databases (`make bench` does).");
        return 2;
    }
    var repo = FindRepo();
    if (!File.Exists(Service.Dll(repo)))
    {
        Console.Error.WriteLine(
            $"bench: {Service.Dll(repo)} is missing; build the service in Release first (`make bench` does).");
        return 2;
    }
    var suite = new Suite(repo, admin, parse.GetValue(quick), runCount);
    List<Figure> figures;
    try
    {
        figures = parse.GetValue(staffOnly) ? await suite.StaffOnlyAsync()
            : parse.GetValue(ingestOnly) ? await suite.IngestOnlyAsync()
            : await suite.RunAsync();
    }
    catch (Exception e)
    {
        // A failed self-check says what failed (the command line's own handler printed nothing).
        Console.Error.WriteLine($"bench: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
        return 1;
    }
    var table = Suite.Table(figures);
    Console.WriteLine();
    Console.WriteLine(table);
    if (parse.GetValue(output) is { } file)
    {
        var page = await Suite.PageAsync(table, admin, parse.GetValue(quick), runCount,
            parse.GetValue(ingestOnly) ? "make bench-ingest"
                : parse.GetValue(quick) ? "make bench-quick" : "make bench");
        // The page's hand-written sections (fail-over, web app, figures measured apart) follow the generated table
        // from their first "## " heading on, and are kept: a run rewrites only the table.
        var kept = File.Exists(file)
            ? File.ReadAllLines(file).SkipWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)).ToList()
            : [];
        await File.WriteAllTextAsync(file, kept.Count == 0 ? page
            : page.TrimEnd() + "\n\n" + string.Join("\n", kept) + "\n");
    }
    // A missed goal is a finding the table reports, not a failed run.
    return 0;
});
return await root.Parse(args).InvokeAsync();

static string FindRepo()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Trajectories.sln"))) dir = dir.Parent;
    return dir?.FullName ?? throw new InvalidOperationException(
        "cannot find the repository (Trajectories.sln) above " + AppContext.BaseDirectory);
}
