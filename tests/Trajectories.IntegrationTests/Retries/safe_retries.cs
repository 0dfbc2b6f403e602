using System.Net;
using System.Net.Http.Json;
using Marten;
using Npgsql;
using Trajectories.Careers;

namespace Trajectories.IntegrationTests.Retries;

/// <summary>
/// A staff client that lost an answer can send the same request again: with an Idempotency-Key it hears the first
/// answer and nothing is recorded twice; a hire with its own job id is safe even without a key, however many race.
/// </summary>
[Collection(ServiceCollection.Name)]
public class safe_retries(ServiceFixture service)
{
    private static readonly object FirstOfJanuary =
        new { checkedInOn = "2024-01-01", reportedStatus = "seeking-peer-work" };

    private static HttpRequestMessage CheckIn(Guid id, string key, object? body = null) =>
        new(HttpMethod.Post, $"/api/specialists/{id}/check-ins")
        {
            Headers = { { "Idempotency-Key", key } },
            Content = JsonContent.Create(body ?? FirstOfJanuary),
        };

    private async Task<int> CheckInsOf(Guid id)
    {
        await using var session = service.Store.QuerySession();
        return (await session.Events.FetchStreamAsync(id)).Count(e => e.Data is CheckedIn);
    }

    [Fact]
    public async Task the_same_key_and_request_answers_the_first_answer_and_records_nothing_more()
    {
        var id = await service.Client.RegisterAsync();
        var key = Guid.NewGuid().ToString();
        var first = await service.Client.SendAsync(CheckIn(id, key));
        await first.ShouldBe(HttpStatusCode.Created);
        var again = await service.Client.SendAsync(CheckIn(id, key));

        await again.ShouldBe(HttpStatusCode.Created);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, await CheckInsOf(id));
    }

    [Fact]
    public async Task a_refusal_is_answered_again_too()
    {
        var id = await service.Client.RegisterAsync();
        var key = Guid.NewGuid().ToString();
        var body = new { checkedInOn = "2099-01-01", reportedStatus = "seeking-peer-work" };
        await (await service.Client.SendAsync(CheckIn(id, key, body)))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "future-date");
        var again = await service.Client.SendAsync(CheckIn(id, key, body));
        await again.ShouldBeProblem(HttpStatusCode.BadRequest, "future-date");
        Assert.True(again.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task the_same_key_with_another_request_is_refused()
    {
        var id = await service.Client.RegisterAsync();
        var key = Guid.NewGuid().ToString();
        await (await service.Client.SendAsync(CheckIn(id, key))).ShouldBe(HttpStatusCode.Created);
        var other = await service.Client.SendAsync(CheckIn(id, key,
            new { checkedInOn = "2024-02-01", reportedStatus = "seeking-peer-work" }));
        await other.ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        Assert.Equal(1, await CheckInsOf(id));
    }

    [Fact]
    public async Task keys_belong_to_their_caller()
    {
        var id = await service.Client.RegisterAsync();
        var (_, secret) = await service.CreateKeyAsync(Roles.Staff);
        var key = Guid.NewGuid().ToString();
        await (await service.Client.SendAsync(CheckIn(id, key))).ShouldBe(HttpStatusCode.Created);
        var second = await service.ClientWith(secret).SendAsync(CheckIn(id, key));
        await second.ShouldBe(HttpStatusCode.Created);
        Assert.False(second.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(2, await CheckInsOf(id));
    }

    [Theory]
    [InlineData("")]
    [InlineData("tab\tinside")]
    public async Task a_malformed_key_is_a_400(string key)
    {
        var id = await service.Client.RegisterAsync();
        var request = CheckIn(id, "x");
        request.Headers.Remove("Idempotency-Key");
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        await (await service.Client.SendAsync(request))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "invalid-idempotency-key");
        var tooLong = CheckIn(id, new string('k', 256));
        await (await service.Client.SendAsync(tooLong))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "invalid-idempotency-key");
        Assert.Equal(0, await CheckInsOf(id));
    }

    [Fact]
    public async Task many_retries_at_once_record_once()
    {
        var id = await service.Client.RegisterAsync();
        var key = Guid.NewGuid().ToString();
        using var start = new ManualResetEventSlim(false);
        var sends = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await service.Client.SendAsync(CheckIn(id, key));
        })).ToList();
        start.Set();
        var responses = await Task.WhenAll(sends);
        foreach (var r in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            await r.ShouldBeProblem(HttpStatusCode.Conflict, "idempotency-key-in-progress");
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(1, await CheckInsOf(id));
    }

    /// <summary>
    /// A request that committed and then lost its answer (the process died in between) is never run again: the key
    /// is marked committed inside the request's own transaction.
    /// </summary>
    [Fact]
    public async Task a_request_that_recorded_but_lost_its_answer_is_not_recorded_again()
    {
        var id = await service.Client.RegisterAsync();
        var key = Guid.NewGuid().ToString();
        await (await service.Client.SendAsync(CheckIn(id, key))).ShouldBe(HttpStatusCode.Created);
        var schema = service.Store.Options.DatabaseSchemaName;
        await using (var connection = new NpgsqlConnection(service.ConnectionString))
        {
            await connection.OpenAsync();
            await using var check = new NpgsqlCommand(
                $"select committed_at is not null from {schema}.idempotency_keys where key = @key", connection);
            check.Parameters.AddWithValue("key", key);
            Assert.True((bool)(await check.ExecuteScalarAsync())!, "the check-in's transaction did not mark its key");
            // As if the service had died after the commit and before it kept the answer.
            await using var forget = new NpgsqlCommand(
                $"update {schema}.idempotency_keys set status = null, body = null, "
                + "started_at = now() - interval '1 hour' where key = @key", connection);
            forget.Parameters.AddWithValue("key", key);
            await forget.ExecuteNonQueryAsync();
        }
        var again = await service.Client.SendAsync(CheckIn(id, key));
        await again.ShouldBeProblem(HttpStatusCode.Conflict, "idempotency-answer-lost");
        Assert.Equal(1, await CheckInsOf(id));
    }

    [Fact]
    public async Task a_key_whose_request_failed_before_recording_can_be_used_again()
    {
        var id = await service.Client.RegisterAsync();
        var key = Guid.NewGuid().ToString();
        var schema = service.Store.Options.DatabaseSchemaName;
        await using (var connection = new NpgsqlConnection(service.ConnectionString))
        {
            await connection.OpenAsync();
            // A claim left by a request that died before committing anything, longer ago than the lease.
            await using var abandoned = new NpgsqlCommand(
                $"insert into {schema}.idempotency_keys (owner, key, fingerprint, started_at, expires_at) "
                + "values ('key:someone', @key, 'x', now() - interval '5 minutes', now() + interval '1 day'), "
                + "(@owner, @key, 'x', now() - interval '5 minutes', now() + interval '1 day')", connection);
            abandoned.Parameters.AddWithValue("key", key);
            abandoned.Parameters.AddWithValue("owner", await OwnerOfTheClientsKey());
            await abandoned.ExecuteNonQueryAsync();
        }
        await (await service.Client.SendAsync(CheckIn(id, key))).ShouldBe(HttpStatusCode.Created);
        Assert.Equal(1, await CheckInsOf(id));
    }

    [Fact]
    public async Task twenty_identical_hires_with_one_job_id_record_one_job_and_all_succeed()
    {
        var id = await service.Client.RegisterAsync();
        var job = Guid.NewGuid();
        var hire = new
        {
            jobId = job, employer = "Lane County BH", title = "Peer Support Specialist", jobType = "peer",
            hoursPerWeek = 30, hourlyWage = 19m, startedOn = "2022-03-01",
        };
        using var start = new ManualResetEventSlim(false);
        var sends = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await service.Client.PostAsync(id, "hires", hire);
        })).ToList();
        start.Set();
        var responses = await Task.WhenAll(sends);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK,
            $"{(int)r.StatusCode}: {r.Content.ReadAsStringAsync().Result}"));
        await using var session = service.Store.QuerySession();
        Assert.Single((await session.Events.FetchStreamAsync(id)).Where(e => e.Data is Hired));
    }

    /// <summary>Who the service client's key records as (kind:id), the owner of its idempotency keys.</summary>
    private async Task<string> OwnerOfTheClientsKey()
    {
        var me = await (await service.Client.GetAsync("/api/me")).Json();
        return $"{me["kind"]!.GetValue<string>()}:{me["id"]!.GetValue<string>()}";
    }
}
