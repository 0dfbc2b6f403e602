using System.Globalization;
using Trajectories.Careers;
using Trajectories.Retention.Facts;
using Trajectories.Survival;

namespace Trajectories.Retention;

/// <summary>What a spell is measured from and to.</summary>
public enum Measure
{
    /// <summary>Certification to the first hire into a peer job.</summary>
    FirstPeerJob,
    /// <summary>Start of the first peer-work spell to leaving peer work (holding no peer job any more).</summary>
    PeerWork,
    /// <summary>Each job from hire to separation.</summary>
    Job,
    /// <summary>
    /// Start of the first peer-work spell to the first promotion in it (a tier higher on the ladder than the one at
    /// the start); leaving peer work first ends follow-up (censored).
    /// </summary>
    FirstPromotion,
}

/// <summary>
/// The query string every retention endpoint shares: grouping, filters, as-of date, interval type, format.
/// </summary>
public sealed record RetentionQuery(
    Measure Measure, string? GroupBy, IReadOnlyDictionary<string, string> Filters, DateOnly AsOf, CiTransform Ci,
    bool Csv, IReadOnlySet<string>? Scope = null)
{
    /// <summary>
    /// Whether a spell counts: it passes every filter and its person lives in a state the caller may see.
    /// </summary>
    public bool Admits(Spell spell) =>
        Spells.Matches(spell, Filters) && (Scope is null || Scope.Contains(spell.Attributes.State));

    public bool Admits(RetentionFacts f) =>
        (Scope is null || Scope.Contains(f.State))
        && Filters.All(kv =>
            PersonValue(f, kv.Key) is { } v && string.Equals(v, kv.Value, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Parses the query for the signed-in caller: a key scoped to some states sees only their people.
    /// </summary>
    public static (RetentionQuery?, Rejection?) Parse(
        Measure measure, HttpRequest request, DateOnly today, Caller caller)
    {
        var (query, rejection) = Parse(measure, request, today);
        if (query is null) return (null, rejection);
        if (query.Filters.TryGetValue("state", out var state) && !caller.Sees(state))
            return (null, Careers.Scope.OutOfScope(state, "state"));
        // Two dates a day apart would differ by whoever's event fell on that day (ADR 14): analysts see month ends.
        var asOf = caller.Role == Roles.Analyst ? MonthEndOnOrBefore(query.AsOf) : query.AsOf;
        return (query with { Scope = caller.States, AsOf = asOf }, null);
    }

    /// <summary>The date itself when it is a month's last day, else the last day of the month before.</summary>
    public static DateOnly MonthEndOnOrBefore(DateOnly date) =>
        date.AddDays(1).Day == 1 ? date : new DateOnly(date.Year, date.Month, 1).AddDays(-1);

    public static readonly string[] Keys =
        ["state", "cohort", "credential", "jobType", "tier", "fullTime", "rural", "mhpsa", "hireYear"];

    /// <summary>
    /// Keys that describe the person apply to every measure; keys that describe a job or spell do not.
    /// </summary>
    public static IReadOnlyList<string> KeysFor(Measure measure) => measure switch
    {
        Measure.FirstPeerJob => ["state", "cohort", "credential", "rural", "mhpsa"],
        Measure.PeerWork or Measure.FirstPromotion =>
            ["state", "cohort", "credential", "tier", "fullTime", "rural", "mhpsa", "hireYear"],
        _ => Keys,
    };

    public static (RetentionQuery?, Rejection?) Parse(Measure measure, HttpRequest request, DateOnly today)
    {
        var q = request.Query;
        var errors = new RequestErrors();
        var allowed = KeysFor(measure);
        var known = Keys.Concat(["groupBy", "asOf", "ci", "format"]).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var unknown in q.Keys.Where(k => !known.Contains(k)))
            errors.Add(unknown, "unknown-parameter",
                $"'{unknown}' is not a parameter here; use groupBy, asOf, ci, format or a filter: " +
                $"{string.Join(", ", allowed)}.");

        string? groupBy = null;
        if (q.TryGetValue("groupBy", out var g) && !string.IsNullOrWhiteSpace(g))
        {
            groupBy = allowed.FirstOrDefault(k => string.Equals(k, g, StringComparison.OrdinalIgnoreCase));
            if (groupBy is null)
                errors.Add("groupBy", "invalid-group",
                    $"'groupBy' for this measure is one of: {string.Join(", ", allowed)}.");
        }

        var filters = new Dictionary<string, string>();
        foreach (var key in Keys)
        {
            var match = q.Keys.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
            if (match is null || string.IsNullOrWhiteSpace(q[match])) continue;
            if (!allowed.Contains(key))
            {
                errors.Add(key, "invalid-filter",
                    $"'{key}' does not apply to this measure; filters here: {string.Join(", ", allowed)}.");
                continue;
            }
            var value = q[match].ToString().Trim();
            if (key is "fullTime" or "rural" or "mhpsa" && value is not ("true" or "false"))
                errors.Add(key, "invalid-value", $"'{key}' is true or false.");
            else if (key is "cohort" or "hireYear" && (!int.TryParse(value, NumberStyles.None,
                         CultureInfo.InvariantCulture, out var year) || year < RequestErrors.Earliest.Year
                         || year > today.Year))
                errors.Add(key, "invalid-value",
                    $"'{key}' is a {(key == "cohort" ? "certification" : "hire")} year from " +
                    $"{RequestErrors.Earliest.Year} to {today.Year}.");
            else filters[key] = key == "state" ? value.ToUpperInvariant() : value;
        }

        var asOf = today;
        if (q.TryGetValue("asOf", out var a) && !string.IsNullOrWhiteSpace(a))
        {
            if (!DateOnly.TryParseExact(
                    a.ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out asOf))
                errors.Add("asOf", "invalid-date", "'asOf' is a date as YYYY-MM-DD.");
            else if (asOf > today)
                errors.Add("asOf", "future-date",
                    $"'asOf' ({asOf:yyyy-MM-dd}) is in the future; today is {today:yyyy-MM-dd}.");
            else if (asOf < RequestErrors.Earliest)
                errors.Add("asOf", "date-out-of-range", $"'asOf' is on or after {RequestErrors.Earliest:yyyy-MM-dd}.");
        }

        var ci = CiTransform.LogLog;
        if (q.TryGetValue("ci", out var c) && !string.IsNullOrWhiteSpace(c))
        {
            if (c == "log") ci = CiTransform.Log;
            else if (c != "log-log") errors.Add("ci", "invalid-value", "'ci' is log-log (the default) or log.");
        }

        var csv = request.Query.TryGetValue("format", out var f)
                  && string.Equals(f, "csv", StringComparison.OrdinalIgnoreCase)
                  || request.Headers.Accept.ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase);
        if (!string.IsNullOrWhiteSpace(f) && f != "csv" && f != "json")
            errors.Add("format", "invalid-value", "'format' is json (the default) or csv.");

        return errors.Any
            ? (null, errors.AsRejection())
            : (new RetentionQuery(measure, groupBy, filters, asOf, ci, csv), null);
    }

    /// <summary>A person's value for a person-level key (null for job- or spell-level keys).</summary>
    public static string? PersonValue(RetentionFacts f, string key) => key switch
    {
        "state" => f.State,
        "cohort" => f.Cohort.ToString(CultureInfo.InvariantCulture),
        "credential" => f.Credential,
        "rural" => f.Rural ? "true" : "false",
        "mhpsa" => f.Mhpsa ? "true" : "false",
        _ => null,
    };

    public static string Flag(bool value) => value ? "true" : "false";

    public static string TierOrNone(string? tier) => tier ?? "none";
}
