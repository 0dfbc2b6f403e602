using JasperFx.CommandLine;
using Marten;

namespace Trajectories.Ingestion.Files;

public class ExportInput : NetCoreInput
{
    [Description("Where to write the JSONL (default: trajectories-export.jsonl); an existing file is replaced")]
    [FlagAlias("out", 'o')]
    public string OutFlag { get; set; } = "trajectories-export.jsonl";
}

/// <summary>
/// `dotnet run --project src/Trajectories -- export [--out FILE]`: every stream as CloudEvents JSONL, which
/// `import FILE` turns back into the same people and histories on an empty store (see <see cref="Export"/>).
/// Written to a file, not standard output: the command line prints start-up lines there.
/// </summary>
[Description("Exports every career stream as CloudEvents JSONL (re-importable with `import`)", Name = "export")]
public class ExportCommand : JasperFxAsyncCommand<ExportInput>
{
    public override async Task<bool> Execute(ExportInput input)
    {
        using var host = input.BuildHost();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        await using var session = store.QuerySession();
        var path = Path.GetFullPath(input.OutFlag);
        var temporary = path + ".partial";
        try
        {
            var total = await Export.CountAsync(session, CancellationToken.None);
            (int People, int Events) written = default;
            await using (var output = new StreamWriter(temporary, false, new System.Text.UTF8Encoding(false)))
            {
                await Progress.Create().StartAsync(async context =>
                {
                    var task = context.AddTask("exporting", maxValue: Math.Max(1, total));
                    written = await Export.WriteAsync(session, output, () => task.Increment(1), CancellationToken.None);
                    task.Value = task.MaxValue;
                });
            }
            // Only a complete export takes the name: a crash leaves the .partial file, never a short export.
            File.Move(temporary, path, overwrite: true);
            Console.Out.WriteLine($"{path}: {written.Events} events of {written.People} people");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"export: cannot write {path}: {e.Message}");
            return false;
        }
    }
}
