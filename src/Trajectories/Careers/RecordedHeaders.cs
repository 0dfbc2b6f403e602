using JasperFx.Events;

namespace Trajectories.Careers;

/// <summary>
/// The two headers every append writes beside Marten's user name and correlation id: the caller's role and the
/// channel it came through (staff, web, integration:SOURCE). The audit trail and the timeline read them back.
/// </summary>
public static class RecordedHeaders
{
    public const string Role = "role";
    public const string Channel = "channel";

    public static string? Of(IEvent e, string name) =>
        e.Headers is { } h && h.TryGetValue(name, out var value) && value is not null ? value.ToString() : null;
}
