namespace Trajectories.Retention.Querying;

/// <summary>
/// The query string a retention endpoint reads itself (<see cref="RetentionQuery.Parse(Measure,
/// Microsoft.AspNetCore.Http.HttpRequest,System.DateOnly)"/>): the measure's filters, groupBy, asOf, ci and format,
/// and the endpoint's own extras. The API document lists these parameters from it (Hosting/ApiDocuments.cs), so
/// what the document says and what the parser accepts come from the same lists; a test holds the two together.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class QueryStringAttribute(Measure measure, params string[] extras) : Attribute
{
    public Measure Measure { get; } = measure;

    /// <summary>Parameters the endpoint reads besides the shared ones.</summary>
    public IReadOnlyList<string> Extras { get; } = extras;

    /// <summary>Shared parameters this endpoint refuses (the ladder takes no groupBy).</summary>
    public string[] Without { get; init; } = [];

    /// <summary>Every parameter in the document's order: filters, then the shared ones, then extras.</summary>
    public IEnumerable<string> Names =>
        RetentionQuery.KeysFor(Measure).Concat(["groupBy", "asOf", "ci", "format"]).Except(Without).Concat(Extras);
}

/// <summary>What each query parameter of the retention endpoints means, for the API document.</summary>
public static class QueryStringWords
{
    public sealed record Parameter(string Description, string Type, IReadOnlyList<string>? Values = null);

    public static Parameter For(string name, Measure measure) => name switch
    {
        "state" => new("Only people certified in this state (two letters). A key limited to some states sees "
                       + "only those.", "string"),
        "cohort" => new("Only people certified in this year.", "integer"),
        "credential" => new("Only people certified with this credential.", "string"),
        "jobType" => new("Only jobs of this type.", "string"),
        "tier" => new("Only spells or jobs that started at this tier ('none' for no tier).", "string"),
        "fullTime" => new("Only spells or jobs that started at 35 or more hours a week (true) or fewer (false).",
            "boolean"),
        "rural" => new("Only people in a rural county (true) or not (false).", "boolean"),
        "mhpsa" => new("Only people in a mental health professional shortage area (true) or not (false).",
            "boolean"),
        "hireYear" => new("Only spells or jobs that started in this year.", "integer"),
        "groupBy" => new("One group per value of this filter: "
                         + string.Join(", ", RetentionQuery.KeysFor(measure)) + ".", "string",
            RetentionQuery.KeysFor(measure)),
        "asOf" => new("The date the figures are as of (YYYY-MM-DD, not in the future; today when left out). "
                      + "Analysts get the month end on or before it.", "date"),
        "ci" => new("The confidence interval's transform: log-log or log. The default is log-log (R's survival), "
                    + "and log for where people are (R's for multi-state curves).", "string", ["log-log", "log"]),
        "format" => new("json (the default) or csv (also Accept: text/csv).", "string", ["json", "csv"]),
        "covariates" => new("The model's covariates, comma-separated: filters of this measure, and wage "
                            + "(promoted too with timeVarying).", "string"),
        "ties" => new("How tied times are handled: efron (the default, as R) or breslow.", "string",
            ["efron", "breslow"]),
        "timeVarying" => new("true: tier, hours, wage and promotion as they change during the spell.", "boolean"),
        "from" => new("The period's first day (YYYY-MM-DD); a year before asOf when left out.", "date"),
        _ => new(name, "string"),
    };
}
