using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Npgsql;
using Trajectories.Careers;
using Trajectories.Ingestion;

namespace Trajectories.IntegrationTests.Ingestion;

/// <summary>`import FILE.csv|FILE.jsonl [--dry-run]` and `export`, run as the real command line.</summary>
public class files(ServiceFixture service) : IClassFixture<ServiceFixture>, IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("trajectories-files-").FullName;
    private readonly List<string> _databases = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        foreach (var db in _databases) await TestDatabase.DropAsync(db);
    }

    private async Task<string> EmptyDatabaseAsync()
    {
        var db = await TestDatabase.CreateAsync("traj_files");
        _databases.Add(db);
        return db;
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Every person's document as the inline projection stored it, read straight from the table.</summary>
    private static async Task<List<Specialist>> PeopleAsync(string connection)
    {
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        await using var exists =
            new NpgsqlCommand("select to_regclass('trajectories.mt_doc_specialist') is not null", conn);
        if (!(bool)(await exists.ExecuteScalarAsync())!) return [];
        await using var command = new NpgsqlCommand("select data from trajectories.mt_doc_specialist", conn);
        var options = CareerJson.Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var people = new List<Specialist>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            people.Add(JsonSerializer.Deserialize<Specialist>(reader.GetString(0), options)!);
        return people.OrderBy(s => s.State).ThenBy(s => s.CertificationNumber).ToList();
    }

    /// <summary>What an import must reproduce: the person, the status and every event as it stands after
    /// corrections.</summary>
    private static object StateOf(Specialist s) => new
    {
        s.Name, s.State, s.CertificationNumber, s.Credential, s.Status,
        Events = CareerHistory.From(s.Entries).Effective
            .Select(e => JsonSerializer.Serialize(e.Event, CareerJson.Options)).ToList(),
    };

    [Fact]
    public async Task the_documented_csv_example_imports_and_a_second_run_records_nothing_new()
    {
        var db = await EmptyDatabaseAsync();
        var example = Path.Combine(Repository.Root(), "docs/ingestion/examples/events.csv");
        var first = await Cli.RunAsync(db, "import", example);
        Assert.True(first.Exit == 0, first.Out + first.Err);
        Assert.Contains("events.csv: 7 events: 7 accepted, 0 duplicate, 0 rejected", first.Out);

        var again = await Cli.RunAsync(db, "import", example);
        Assert.True(again.Exit == 0, again.Out + again.Err);
        Assert.Contains("7 events: 0 accepted, 7 duplicate, 0 rejected", again.Out);

        var people = await PeopleAsync(db);
        Assert.Equal(["OR-2024-0001", "OR-2024-0002"], people.Select(p => p.CertificationNumber));
        Assert.Equal("employed-peer", people[0].Status);
        Assert.Equal(
            ["certified", "hired", "checked-in", "promoted"],
            people[0].Entries.Select(e => CareerJson.KindOf(e.Event)));
        Assert.Equal("not-employed", people[1].Status);
        Assert.Equal("integration:urn:hr:county-clinic", people[1].Entries[^1].Channel);
    }

    [Fact]
    public async Task rejected_lines_are_listed_by_number_with_a_non_zero_exit_and_the_good_lines_are_recorded()
    {
        var db = await EmptyDatabaseAsync();
        var csv = Write("mixed.csv", """
            id,type,subject,name,state,credential,certificationNumber,certifiedOn,county,rural,mhpsa,jobId,employer,title,jobType,hoursPerWeek,hourlyWage,startedOn,checkedInOn,reportedStatus
            c1,certified,OR:M-1,Pat Doe,OR,adult-peer,M-1,2023-01-10,Lane,no,yes,,,,,,,,,
            h1,hired,OR:M-1,,,,,,,,,,Peer Run Org,Peer,peer,thirty,18,2023-02-01,,
            h2,hired,OR:M-1,,,,,,,,,,Peer Run Org,Peer,peer,30,18,2023-02-01,,
            x1,checked-in,OR:NOBODY,,,,,,,,,,,,,,,,2023-05-01,employed-peer
            z1,frobbed,OR:M-1,,,,,,,,,,,,,,,,,
            c2,certified,OR:M-2,Pat Doe,OR,adult-peer,M-2,2023-01-10,Lane,false,true,,,,,,,,2023-05-01,
            """);

        var dry = await Cli.RunAsync(db, "import", csv, "--source", "urn:test:mixed", "--dry-run");
        Assert.Equal(1, dry.Exit);
        Assert.Contains("(dry run: nothing was recorded)", dry.Out);
        Assert.Empty(await PeopleAsync(db));

        var run = await Cli.RunAsync(db, "import", csv, "--source", "urn:test:mixed");
        Assert.Equal(1, run.Exit);
        Assert.Contains("mixed.csv: 6 events: 2 accepted, 0 duplicate, 4 rejected", run.Out);
        Assert.Contains("line 3: invalid-data:", run.Out);                 // "thirty" hours
        Assert.Contains("line 5: specialist-not-found:", run.Out);
        Assert.Contains("line 6: unknown-type:", run.Out);
        Assert.Contains("line 7: field-not-applicable:", run.Out);         // checkedInOn on a certified line
        Assert.Equal(
            dry.Out.Replace(" (dry run: nothing was recorded)", ""),
            run.Out);   // the dry run foretold it exactly
        var person = Assert.Single(await PeopleAsync(db));
        Assert.Equal(["certified", "hired"], person.Entries.Select(e => CareerJson.KindOf(e.Event)));
    }

    [Theory]
    [InlineData("missing.csv", null, "import: no such file")]
    [InlineData("events.txt", "id,type\n", "import: ")]
    [InlineData(
        "wrong.csv", "id,type,source,colour\n1,certified,urn:x,blue\n", "column 'colour' is not an event field")]
    [InlineData("noid.csv", "type,source\ncertified,urn:x\n", "the 'id' column is missing")]
    public async Task a_file_that_cannot_be_read_is_one_line_and_a_non_zero_exit(
        string name, string? content, string message)
    {
        var path = content is null ? Path.Combine(_folder, name) : Write(name, content);
        var result = await Cli.RunAsync(service.ConnectionString, "import", path);
        Assert.Equal(1, result.Exit);
        var line = Assert.Single(result.Err.Trim().Split('\n'));
        Assert.Contains(message, line);
    }

    [Fact]
    public async Task jsonl_lines_are_judged_one_by_one()
    {
        var db = await EmptyDatabaseAsync();
        var good = Ingest.Event("certified", null, Ingest.Certified("WA", "J-1"), id: "j1", source: "urn:jsonl")
            .ToJsonString();
        var file = Write("events.jsonl",
            string.Join("\n", good, "{not json", "", "[" + good + "]", """{"specversion":"1.0"}""", good) + "\n");
        var result = await Cli.RunAsync(db, "import", file);
        Assert.Equal(1, result.Exit);
        Assert.Contains("events.jsonl: 5 events: 1 accepted, 1 duplicate, 3 rejected", result.Out);
        Assert.Contains("line 2: malformed-request:", result.Out);
        Assert.Contains("line 4: not-cloudevents:", result.Out);
        Assert.Contains("line 5: not-cloudevents:", result.Out);
    }

    [Fact]
    public async Task an_export_imports_back_to_the_same_people_statuses_and_histories()
    {
        // A seeded cohort, plus a person with a correction and a voided event recorded through the API.
        var seeded = await Cli.RunAsync(service.ConnectionString, "seed", "--specialists", "200", "--seed", "11");
        Assert.True(seeded.Exit == 0, seeded.Err);
        var created = await service.Client.PostAsJsonAsync("/api/specialists", new
        {
            name = "Corrected Person", state = "WA", credential = "adult-peer", certificationNumber = "EXPORT-1",
            certifiedOn = "2021-05-01", county = "King", rural = false, mhpsa = false,
        });
        await created.ShouldBe(HttpStatusCode.Created);
        var id = (await created.Json())["id"]!.GetValue<Guid>();
        var hire = await service.Client.PostAsJsonAsync($"/api/specialists/{id}/hires", new
        {
            employer = "Clinic", title = "Peer", jobType = "peer",
            hoursPerWeek = 20, hourlyWage = 17, startedOn = "2021-06-01",
        });
        await hire.ShouldBe(HttpStatusCode.Created);
        Guid hireEvent;
        await using (var session = service.Store.QuerySession())
            hireEvent = (await session.LoadAsync<Specialist>(id))!.Entries.Single(e => e.Event is Hired).EventId;
        await (await service.Client.PostAsJsonAsync($"/api/specialists/{id}/corrections",
                new { eventId = hireEvent, changes = new { hourlyWage = 19 }, reason = "typo" }))
            .ShouldBe(HttpStatusCode.Created);
        await (await service.Client.PostAsJsonAsync($"/api/specialists/{id}/check-ins",
                new { checkedInOn = "2022-01-10", reportedStatus = "employed-peer" }))
            .ShouldBe(HttpStatusCode.Created);

        var file = Path.Combine(_folder, "export.jsonl");
        var exported = await Cli.RunAsync(service.ConnectionString, "export", "--out", file);
        Assert.True(exported.Exit == 0, exported.Err);
        var original = await PeopleAsync(service.ConnectionString);
        Assert.Contains($"{File.ReadLines(file).Count()} events of {original.Count} people", exported.Out);

        var copy = await EmptyDatabaseAsync();
        var imported = await Cli.RunAsync(copy, "import", file);
        Assert.True(imported.Exit == 0, imported.Out + imported.Err);
        var restored = await PeopleAsync(copy);
        Assert.Equal(original.Count, restored.Count);
        Assert.Equal(
            original.Select(StateOf).Select(x => JsonSerializer.Serialize(x)),
            restored.Select(StateOf).Select(x => JsonSerializer.Serialize(x)));
        var corrected = restored.Single(s => s.CertificationNumber == "EXPORT-1");
        Assert.Equal(
            19m,
            CareerHistory.From(corrected.Entries).Effective.Select(e => e.Event).OfType<Hired>().Single().HourlyWage);
    }
}
