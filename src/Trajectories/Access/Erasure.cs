using Microsoft.AspNetCore.Mvc;
using System.Text.Json;
using Marten;
using Trajectories.Careers;
using Trajectories.Ingestion;
using Wolverine.Http;

namespace Trajectories.Access;

public sealed record ErasureDone(Guid SpecialistId, DateTimeOffset ErasedAt, int EventsMasked);

/// <summary>Kept so an erasure can be shown to have happened (who, when); holds nothing about the person.</summary>
public sealed class ErasureRecord
{
    public Guid Id { get; set; }
    public Guid SpecialistId { get; set; }
    public DateTimeOffset ErasedAt { get; set; }
    public string ErasedBy { get; set; } = "";
}

/// <summary>
/// Erasure on request (docs/adr/0009-access-model.md): a person's name, certification number and every free-text
/// field are overwritten in the stored events by Marten's masking of protected information, then the person's
/// Specialist document is folded again from the masked events. What aggregates use (dates, states, job types,
/// vocabulary reasons, wages) is kept, so the de-identified person goes on counting in retention figures.
/// </summary>
public static class Erasure
{
    public const string Marker = CertificationNumbers.Erased;

    // Correction fields that carry identifying or free text. "reason" is kept when it is a separation reason from
    // the vocabulary (aggregates count those), and masked otherwise (wage-change and pause reasons are free text).
    private static readonly string[] IdentifyingChanges = ["name", "certificationNumber", "note"];
    private static readonly JsonElement MarkerJson = JsonDocument.Parse($"\"{Marker}\"").RootElement.Clone();
    private static readonly JsonElement NullJson = JsonDocument.Parse("null").RootElement.Clone();

    public static void AddMaskingRules(StoreOptions opts)
    {
        var events = opts.Events;
        events.AddMaskingRuleForProtectedInformation<SpecialistCertified>(
            x => x with { Name = Marker, CertificationNumber = Marker });
        events.AddMaskingRuleForProtectedInformation<Separated>(x => x with { Note = null });
        events.AddMaskingRuleForProtectedInformation<ReturnedToWork>(x => x with { Note = null });
        events.AddMaskingRuleForProtectedInformation<LostToFollowUp>(x => x with { Note = null });
        events.AddMaskingRuleForProtectedInformation<WageOrHoursChanged>(x => x with { Reason = Marker });
        events.AddMaskingRuleForProtectedInformation<DisabilityPauseStarted>(x => x with { Reason = Marker });
        events.AddMaskingRuleForProtectedInformation<EventVoided>(x => x with { Reason = Marker });
        events.AddMaskingRuleForProtectedInformation<EventCorrected>(
            x => x with { Reason = Marker, Changes = Masked(x.Changes) });
    }

    /// <summary>
    /// A correction's changes with identifying and free-text values overwritten. Keys are compared without regard to
    /// case: corrections are stored in the event's own spelling since 2026-12-01, earlier ones may not be.
    /// </summary>
    public static Dictionary<string, JsonElement> Masked(Dictionary<string, JsonElement> changes) =>
        changes.ToDictionary(kv => kv.Key, kv => Is(kv.Key, "note") ? NullJson
            : IdentifyingChanges.Any(f => Is(kv.Key, f)) ? MarkerJson
            : Is(kv.Key, "reason") && !(kv.Value.ValueKind == JsonValueKind.String
                && Vocabulary.SeparationReasons.Contains(kv.Value.GetString())) ? MarkerJson
            : kv.Value);

    private static bool Is(string key, string field) => string.Equals(key, field, StringComparison.OrdinalIgnoreCase);


    [WolverinePost("/api/specialists/{id}/erasure",
        Summary = "Erase a person's identity (they still count)"), Tags("Access")]
    [ProducesResponseType<ErasureDone>(200)]
    public static async Task<IResult> Erase(
        Guid id, HttpContext context, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        Specialist? person;
        await using (var check = store.QuerySession())
            if ((person = await check.LoadAsync<Specialist>(id, ct)) is null) return Scope.NotFound(id);

        var now = clock.GetUtcNow();
        await store.Advanced.ApplyEventDataMasking(x =>
        {
            x.IncludeStream(id);
            x.AddHeader("erased", now.ToString("O"));
        }, ct);

        // The inline snapshot was projected from the unmasked events: fold it again from what is stored now.
        await using var session = store.LightweightSession();
        var events = await session.Events.FetchStreamAsync(id, token: ct);
        var specialist = SpecialistProjection.Apply(null, id, events)!;
        session.Store(specialist);
        session.Store(new ErasureRecord
        {
            Id = Guid.CreateVersion7(), SpecialistId = id, ErasedAt = now,
            ErasedBy = Caller.From(context.User).RecordedBy,
        });
        // What integrations sent about the person: payloads, subjects and rejection details in the ingestion log.
        IngestLog.QueueErasure(session, id, Subject.KeyOf(person.State, person.CertificationNumber));
        await session.SaveChangesAsync(ct);
        return Results.Ok(new ErasureDone(id, now, events.Count));
    }
}
