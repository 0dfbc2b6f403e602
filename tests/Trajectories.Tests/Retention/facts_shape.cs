using System.Security.Cryptography;
using System.Text;
using Trajectories.Retention.Facts;

namespace Trajectories.Tests.Retention;

/// <summary>
/// The retention facts' shape is versioned (RetentionFactsProjection.Shape): a new version makes the daemon build
/// the facts again on upgrade. Adding a field without raising it left existing databases with the field empty (a
/// hostile review: every work list wrong after an upgrade, readiness 200). This fails when the facts' properties
/// change and the shape does not.
/// </summary>
public class facts_shape
{
    /// <summary>The shape and the signature of its properties, recorded together.</summary>
    private static readonly (uint Shape, string Signature) Recorded = (3, "64F82EDA668C17AB");

    private static string Describe(Type type, HashSet<Type> seen)
    {
        if (!seen.Add(type)) return type.Name;
        var parts = type.GetProperties().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p =>
        {
            var t = p.PropertyType;
            var inner = t.IsGenericType ? t.GetGenericArguments() : [];
            var nested = inner.Append(t).Where(x => x.Namespace == typeof(RetentionFacts).Namespace)
                .Select(x => Describe(x, seen));
            return $"{p.Name}:{t}[{string.Join(";", nested)}]";
        });
        return $"{type.Name}{{{string.Join(",", parts)}}}";
    }

    public static string Signature() => Convert.ToHexString(
        SHA256.HashData(Encoding.UTF8.GetBytes(Describe(typeof(RetentionFacts), [])))[..8]);

    [Fact]
    public void the_shape_is_raised_whenever_the_facts_change()
    {
        var signature = Signature();
        Assert.True(Recorded.Signature == signature && Recorded.Shape == RetentionFactsProjection.Shape,
            $"RetentionFacts has shape signature {signature} (recorded: {Recorded.Signature} for shape " +
            $"{Recorded.Shape}; the projection says {RetentionFactsProjection.Shape}). When the facts change, raise " +
            "RetentionFactsProjection.Shape and Table, and record the new shape and signature here.");
        Assert.EndsWith("_" + RetentionFactsProjection.Shape, RetentionFactsProjection.Table);
    }
}
