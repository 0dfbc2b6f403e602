using System.Text;
using System.Text.Json.Nodes;
using RabbitMQ.Client;

namespace Trajectories.IntegrationTests.Ingestion;

/// <summary>
/// Where the RabbitMQ tests get a broker: TRAJECTORIES_TEST_RABBITMQ (set by `make test` to the project's own node,
/// scripts/mq.sh), else a failure saying what to set. Publishing is done with the plain RabbitMQ client, as a
/// system that knows nothing of Wolverine would.
/// </summary>
public static class Broker
{
    public const string Variable = "TRAJECTORIES_TEST_RABBITMQ";

    public static string Url => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } url
        ? url
        : throw new InvalidOperationException(
            $"The RabbitMQ tests need a broker. Set {Variable} to an AMQP URL (`make test` starts the project's own " +
            $"node and sets it: see `scripts/mq.sh url`).");

    public static async Task<IConnection> ConnectAsync() =>
        await new ConnectionFactory { Uri = new Uri(Url) }.CreateConnectionAsync();

    /// <summary>One message holding one event (an object) or a batch (an array), with what a plain publisher
    /// sets.</summary>
    public static async Task PublishAsync(this IChannel channel, string queue, params JsonObject[] events) =>
        await channel.PublishRawAsync(queue, Encoding.UTF8.GetBytes(events.Length == 1
            ? events[0].ToJsonString()
            : new JsonArray(events.Select(e => (JsonNode)e.DeepClone()).ToArray()).ToJsonString()));

    public static async Task PublishRawAsync(
        this IChannel channel, string queue, byte[] body, string contentType = "application/cloudevents+json",
        IDictionary<string, object?>? headers = null)
    {
        var properties = new BasicProperties
        {
            ContentType = contentType, Persistent = true, MessageId = Guid.NewGuid().ToString(), Headers = headers,
        };
        await channel.BasicPublishAsync("", queue, mandatory: true, properties, body);
    }

    /// <summary>How many messages wait in a queue (0 if it does not exist yet).</summary>
    public static async Task<uint> CountAsync(IConnection connection, string queue)
    {
        await using var channel = await connection.CreateChannelAsync();
        try { return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount; }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException) { return 0; }
    }
}

/// <summary>The service with its RabbitMQ listener on a queue of its own.</summary>
public class RabbitMqServiceFixture : ServiceFixture
{
    public string Queue { get; } = $"test.ingest.{Guid.NewGuid():N}";
    public string DeadLetterQueue => Queue + ".dead-letter";

    protected override IEnumerable<(string Key, string Value)> Settings() =>
        [("Ingest:RabbitMq:Uri", Broker.Url), ("Ingest:RabbitMq:Queue", Queue)];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        // The queues are the test's own: remove them so a broker used for many runs does not fill up.
        await using var connection = await Broker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var q in new[] { Queue, DeadLetterQueue })
        {
            try { await channel.QueueDeleteAsync(q); }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException) { }
        }
    }
}
