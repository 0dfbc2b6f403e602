using JasperFx.CommandLine;
using Marten;
using Spectre.Console;
using Trajectories.Careers;

namespace Trajectories.Demo;

public class SeedInput : NetCoreInput
{
    [Description("How many specialists to create (default 3000)")]
    [FlagAlias("specialists", 'n')]
    public int SpecialistsFlag { get; set; } = 3000;

    [Description("Random seed: the same seed gives the same cohort (default 42)")]
    [FlagAlias("seed", 's')]
    public int SeedFlag { get; set; } = 42;
}

/// <summary>
/// `dotnet run --project src/Trajectories -- seed --specialists N [--seed S]`: a synthetic cohort for demos and
/// benchmarks.
/// </summary>
[Description("Writes a synthetic multistate CPS cohort (shaped by the research) as career events", Name = "seed")]
public class SeedCommand : JasperFxAsyncCommand<SeedInput>
{
    private const int Batch = 250;

    public override async Task<bool> Execute(SeedInput input)
    {
        if (input.SpecialistsFlag is < 1 or > 2_000_000)
        {
            Console.Error.WriteLine("seed: --specialists must be between 1 and 2000000");
            return false;
        }
        // The host is built for its services only: not started, so no web server and no daemon in this process.
        using var host = input.BuildHost();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var generator = new CohortGenerator(input.SeedFlag, DateOnly.FromDateTime(DateTime.UtcNow));
        var events = 0;

        await AnsiConsole.Progress()
            .Columns(
                new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(),
                new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(
                    $"seeding {input.SpecialistsFlag:N0} specialists", maxValue: input.SpecialistsFlag);
                for (var start = 0; start < input.SpecialistsFlag; start += Batch)
                {
                    await using var session = store.LightweightSession();
                    session.LastModifiedBy = "seed";
                    var count = Math.Min(Batch, input.SpecialistsFlag - start);
                    for (var i = start; i < start + count; i++)
                    {
                        var person = generator.Person(input.SeedFlag * 10_000_000 + i);
                        session.Events.StartStream<Specialist>(Guid.CreateVersion7(), person);
                        events += person.Count;
                    }
                    await session.SaveChangesAsync();
                    task.Increment(count);
                }
            });

        AnsiConsole.MarkupLine(
            $"[green]seeded {input.SpecialistsFlag:N0} specialists, {events:N0}" +
            $" events (seed {input.SeedFlag})[/]; retention facts follow asynchronously while the service runs.");
        return true;
    }
}
