using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Trajectories.Careers;

/// <summary>
/// A stream's events as they stand after corrections, in effective-date order. Arrival order only breaks ties
/// (after the order of <see cref="SameDayRank"/>), so late and out-of-order events land where they happened.
/// </summary>
public sealed class CareerHistory
{
    private CareerHistory(IReadOnlyList<EffectiveEntry> all) => All = all;

    /// <summary>Every non-correction event, voided ones included, in effective order.</summary>
    public IReadOnlyList<EffectiveEntry> All { get; }

    /// <summary>The events that count: not voided, in effective order.</summary>
    public IEnumerable<EffectiveEntry> Effective => All.Where(e => !e.IsVoided);

    public SpecialistCertified? Certification =>
        Effective.Select(e => e.Event).OfType<SpecialistCertified>().FirstOrDefault();

    public static CareerHistory From(IEnumerable<CareerEntry> entries)
    {
        var byId = new Dictionary<Guid, EffectiveEntry>();
        var order = new List<Guid>();
        foreach (var entry in entries.OrderBy(e => e.Version))
        {
            switch (entry.Event)
            {
                case EventCorrected c when byId.TryGetValue(c.EventId, out var target) && !target.IsVoided:
                    // A correction that cannot be applied any more is ignored here; the rules refuse it when recorded.
                    if (TryPatch(target.Event, c.Changes, out var patched, out _))
                        byId[c.EventId] = target with
                        {
                            Event = patched, CorrectedBy = [.. target.CorrectedBy, entry.EventId],
                        };
                    break;
                case EventVoided v when byId.TryGetValue(v.EventId, out var target) && !target.IsVoided:
                    byId[v.EventId] = target with { VoidedBy = entry.EventId };
                    break;
                case EventCorrected or EventVoided:
                    break;
                default:
                    byId[entry.EventId] = new EffectiveEntry(entry, entry.Event, [], null);
                    order.Add(entry.EventId);
                    break;
            }
        }

        var sorted = order.Select(id => byId[id])
            .OrderBy(e => e.EffectiveOn)
            .ThenBy(e => SameDayRank(e.Event))
            .ThenBy(e => e.Recorded.Version)
            .ToList();
        return new CareerHistory(sorted);
    }

    /// <summary>
    /// Order of events that share a date: a job starts before it changes or ends, a pause opens before it closes,
    /// and observation ends last. Without it a one-day job or pause would depend on arrival order.
    /// </summary>
    public static int SameDayRank(CareerEvent e) => e switch
    {
        SpecialistCertified => 0,
        CertificationRenewed => 1,
        Hired => 2,
        Promoted => 3,
        WageOrHoursChanged => 4,
        CredentialEarned => 5,
        CheckedIn => 6,
        DisabilityPauseStarted => 7,
        ReturnedToWork => 8,
        DisabilityPauseEnded => 9,
        Separated => 10,
        CertificationLapsed => 11,
        LostToFollowUp => 12,
        _ => 13,
    };

    /// <summary>
    /// Applies corrected fields to an event through its JSON form, so every event type can be corrected the same way.
    /// Fails (with a reason) on a field the event does not have, or a value of the wrong type.
    /// </summary>
    public static bool TryPatch(CareerEvent original, IReadOnlyDictionary<string, JsonElement> changes,
        [NotNullWhen(true)] out CareerEvent? patched, [NotNullWhen(false)] out string? error)
    {
        patched = null;
        var type = original.GetType();
        var node = JsonSerializer.SerializeToNode(original, type, CareerJson.Options)!.AsObject();
        foreach (var (field, value) in changes)
        {
            var key = node.Select(p => p.Key)
                .FirstOrDefault(k => string.Equals(k, field, StringComparison.OrdinalIgnoreCase));
            if (key is null)
            {
                error = $"'{field}' is not a field of a {CareerJson.KindOf(original)} event; "
                    + $"its fields are: {string.Join(", ", node.Select(p => p.Key))}.";
                return false;
            }
            node[key] = JsonNode.Parse(value.GetRawText());
        }

        try
        {
            patched = (CareerEvent?)node.Deserialize(type, CareerJson.Options);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            error = ex is JsonException { Path: { Length: > 1 } path }
                ? $"'{path.TrimStart('$', '.')}' has a value of the wrong kind."
                : "a corrected value has the wrong kind (text, a number, true or false, or a date as YYYY-MM-DD).";
            return false;
        }

        if (patched is null || HasMissingRequired(patched))
        {
            error = "a corrected value may not remove a required field.";
            patched = null;
            return false;
        }

        error = null;
        return true;
    }

    // Strings the events require (names, employers, reasons) must not be corrected to null.
    private static bool HasMissingRequired(CareerEvent e) => e switch
    {
        SpecialistCertified c => new[] { c.Name, c.State, c.Credential, c.CertificationNumber, c.County }
            .Any(string.IsNullOrWhiteSpace),
        Hired h => new[] { h.Employer, h.Title, h.JobType }.Any(string.IsNullOrWhiteSpace),
        Promoted p => string.IsNullOrWhiteSpace(p.Tier),
        Separated s => string.IsNullOrWhiteSpace(s.Reason),
        _ => false,
    };
}
