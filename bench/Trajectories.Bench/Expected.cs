using JasperFx.Events;
using Trajectories.Careers;
using Trajectories.Retention;
using Trajectories.Retention.Facts;

namespace Trajectories.Bench;

/// <summary>What the answers must be, worked out here from the generated cohort, so a fast wrong answer fails the
/// run.</summary>
public static class Expected
{
    /// <summary>People in the time-to-first-peer-job sample today (those whose first hire came before follow-up
    /// began are not).</summary>
    public static int FirstPeerJobSample(IEnumerable<IReadOnlyList<CareerEvent>> cohort)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return cohort.Count(person => RetentionFacts.From(Fold(person)) is { } facts
            && Spells.For(Measure.FirstPeerJob, facts, today).Any());
    }

    private static Specialist Fold(IReadOnlyList<CareerEvent> events)
    {
        var wrapped = events.Select((data, i) =>
        {
            var e = (IEvent)Activator.CreateInstance(typeof(Event<>).MakeGenericType(data.GetType()), data)!;
            e.Id = Guid.NewGuid();
            e.Version = i + 1;
            return e;
        });
        return SpecialistProjection.Apply(null, Guid.Empty, wrapped)!;
    }
}
