using System.Text.Json.Serialization;

namespace Trajectories.Ingestion;

/// <summary>What the intake answers for one event: accepted, duplicate, or rejected with its rule.</summary>
public sealed record IngestResult(
    string Id, string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Rule = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail = null);
