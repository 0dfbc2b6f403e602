using Microsoft.AspNetCore.Mvc;
using System.Text.Json;
using Wolverine.Http;
using Wolverine.Marten;

namespace Trajectories.Careers.Reading;

/// <summary>
/// One entry of a person's timeline. Data is the event as it stands after corrections; Original is what was first
/// recorded when a correction changed it. Corrections and voids appear as entries of their own, on the day recorded.
/// RecordedByName is the recording key's name, when it has one.
/// </summary>
public sealed record TimelineEntry(
    Guid EventId, string Type, DateOnly EffectiveOn, DateTimeOffset RecordedAt, string? RecordedBy,
    string? RecordedRole, string? Channel, string? CorrelationId, JsonElement Data, bool Voided,
    IReadOnlyList<Guid> CorrectedBy, JsonElement? Original, string? RecordedByName = null);

public static class GetTimelineEndpoint
{
    public static IReadOnlyList<TimelineEntry> Timeline(Specialist specialist)
    {
        var events = specialist.History().All.Select(e => new TimelineEntry(
            e.Recorded.EventId, CareerJson.KindOf(e.Event), e.EffectiveOn, e.Recorded.RecordedAt, e.Recorded.RecordedBy,
            e.Recorded.Role, e.Recorded.Channel, e.Recorded.CorrelationId, Json(e.Event), e.IsVoided, e.CorrectedBy,
            e.CorrectedBy.Count > 0 ? Json(e.Recorded.Event) : null));
        var corrections = specialist.Entries.Where(e => e.Event is EventCorrected or EventVoided)
            .Select(e => new TimelineEntry(
                e.EventId, CareerJson.KindOf(e.Event), e.Event.EffectiveOn, e.RecordedAt, e.RecordedBy, e.Role,
                e.Channel, e.CorrelationId, Json(e.Event), false, [], null));
        return events.Concat(corrections)
            .OrderBy(e => e.EffectiveOn)
            .ThenBy(e => e.RecordedAt)
            .ToList();
    }

    private static JsonElement Json(CareerEvent e) => JsonSerializer
        .SerializeToElement(e, e.GetType(), CareerJson.Options);

    /// <summary>
    /// [ReadAggregate] loads the snapshot and the scope middleware answers for a missing or hidden person.
    /// </summary>
    [WolverineGet("/api/specialists/{id}/timeline",
        Summary = "A specialist's timeline, with corrections and who recorded what")]
    [Access(Roles.Staff), Tags("Specialists")]
    [ProducesResponseType<IReadOnlyList<TimelineEntry>>(200)]
    public static async Task<IResult> Get(
        Guid id, [ReadAggregate("id", Required = false)] Specialist specialist, IRecorderNames names,
        CancellationToken ct)
    {
        var timeline = Timeline(specialist);
        var known = await names.NamesAsync(
            timeline.Select(e => e.RecordedBy).OfType<string>().Distinct().ToList(), ct);
        return Results.Ok(timeline.Select(e => e with
        {
            RecordedByName = e.RecordedBy is { } by && known.TryGetValue(by, out var name) ? name : null,
        }).ToList());
    }
}
