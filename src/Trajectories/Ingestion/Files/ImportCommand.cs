using JasperFx.CommandLine;
using Marten;
using Spectre.Console;
using Trajectories.Careers;

namespace Trajectories.Ingestion.Files;

public class ImportInput : NetCoreInput
{
    [Description("The file: .csv (columns in docs/ingestion/README.md) or .jsonl (one CloudEvent per line)")]
    public string File { get; set; } = "";

    [Description("Check every line against the data as it stands, record nothing")]
    [FlagAlias("dry-run")]
    public bool DryRunFlag { get; set; }

    [Description("CSV: the CloudEvents source of lines without a source cell, e.g. urn:board:oregon")]
    [FlagAlias("source")]
    public string? SourceFlag { get; set; }
}

/// <summary>
/// `dotnet run --project src/Trajectories -- import FILE.csv|FILE.jsonl [--dry-run]`: a progress bar on standard
/// error, then a summary (accepted / duplicate / rejected, each rejected line with its number and reason). Exit code
/// 0 when nothing was rejected; 1 when any line was (the good lines are still recorded) or the file cannot be read.
/// </summary>
[Description(
    "Imports career events from a CSV or JSONL file (same checks and idempotency as the ingest endpoint)",
    Name = "import")]
public class ImportCommand : JasperFxAsyncCommand<ImportInput>
{
    public override async Task<bool> Execute(ImportInput input)
    {
        List<FileLine> lines;
        try
        {
            lines = EventFile.Read(input.File, input.SourceFlag);
        }
        catch (EventFileException e)
        {
            Console.Error.WriteLine($"import: {e.Message}");
            return false;
        }

        using var host = input.BuildHost();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var import = new FileImport(store, host.Services.GetRequiredService<CareerLadder>(), TimeProvider.System);
        var name = Path.GetFileName(input.File);

        List<LineOutcome> outcomes = [];
        await Progress.Create().StartAsync(async context =>
        {
            var task = context.AddTask(
                $"{(input.DryRunFlag ? "checking" : "importing")} {Markup.Escape(name)}",
                maxValue: Math.Max(1, lines.Count));
            outcomes = await import.RunAsync(
                name, lines, input.DryRunFlag, n => task.Increment(n), CancellationToken.None);
            task.Value = task.MaxValue;
        });

        var accepted = outcomes.Count(o => o.Status == IngestStatus.Accepted);
        var duplicate = outcomes.Count(o => o.Status == IngestStatus.Duplicate);
        var rejected = outcomes.Where(o => o.Status == IngestStatus.Rejected).ToList();
        Console.Out.WriteLine(
            $"{name}: {lines.Count} events: {accepted} accepted, {duplicate} duplicate, {rejected.Count} rejected" +
            (input.DryRunFlag ? " (dry run: nothing was recorded)" : ""));
        foreach (var r in rejected)
            Console.Out.WriteLine($"  line {r.Line}: {r.Rule}: {r.Detail}");
        return rejected.Count == 0;
    }
}

internal static class Progress
{
    /// <summary>
    /// Progress on standard error (standard output carries the summary); plain lines when not a terminal.
    /// </summary>
    public static Spectre.Console.Progress Create() =>
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) })
            .Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new RemainingTimeColumn());
}
