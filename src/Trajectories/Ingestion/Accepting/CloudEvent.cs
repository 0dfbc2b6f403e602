using System.Text.Json;

namespace Trajectories.Ingestion;

/// <summary>A structured-mode CloudEvent (JSON) with the attributes we use.</summary>
public sealed record CloudEvent(
    string Id, string Source, string Type, string? Subject, DateTimeOffset? Time, JsonElement? Data, string Raw);
