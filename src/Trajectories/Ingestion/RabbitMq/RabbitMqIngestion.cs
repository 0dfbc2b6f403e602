using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.RabbitMQ;

namespace Trajectories.Ingestion;

public static class RabbitMqIngestion
{
    public static void Configure(WolverineOptions opts, RabbitMqIngestSettings settings)
    {
        if (!settings.Enabled) return;
        opts.UseRabbitMq(new Uri(settings.Uri!)).AutoProvision();
        opts.ListenToRabbitQueue(settings.Queue)
            .UseInterop(new CloudEventsEnvelopeMapper())
            .DefaultSerializer(RawBodySerializer.Instance)
            // Acknowledged after the handler's transaction commits; the (source, id) keys absorb redeliveries.
            .ProcessInline()
            .ListenerCount(Math.Max(1, settings.Parallelism))
            .DeadLetterQueueing(new DeadLetterQueue(settings.DeadLetterQueueName));
        opts.Policies.OnException<UnreadableMessageException>().MoveToErrorQueue();
    }
}
