using System.Text.Json;
using System.Text.Json.Serialization;

namespace Trajectories.Careers;

/// <summary>
/// The one JSON shape of career events: camelCase, dates as yyyy-MM-dd (System.Text.Json's DateOnly form).
/// </summary>
public static class CareerJson
{
    public static readonly JsonSerializerOptions Options = Configure(
        new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>
    /// PostgreSQL's jsonb reorders object keys, so the "$kind" discriminator of a stored CareerEvent is not always
    /// first: System.Text.Json must be told to look for it anywhere.
    /// </summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        o.AllowOutOfOrderMetadataProperties = true;
        o.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        return o;
    }

    private static readonly Dictionary<Type, string> Kinds = typeof(CareerEvent)
        .GetCustomAttributes(typeof(JsonDerivedTypeAttribute), false)
        .Cast<JsonDerivedTypeAttribute>()
        .ToDictionary(a => a.DerivedType, a => (string)a.TypeDiscriminator!);

    /// <summary>The kebab-case name of an event type, as the timeline and the API show it.</summary>
    public static string KindOf(CareerEvent e) => Kinds[e.GetType()];
}
