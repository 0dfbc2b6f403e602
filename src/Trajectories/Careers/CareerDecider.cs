namespace Trajectories.Careers;

/// <summary>
/// The shared last step of every career command: would the stream, with this event added, still obey the rules?
/// Pure: it reads the specialist's recorded history and returns a decision; it changes nothing.
/// </summary>
public static class CareerDecider
{
    /// <summary>A command's validated event admitted, or its field errors as the refusal.</summary>
    public static Decision Admit<T>((T? Event, RequestErrors Errors) read, Specialist specialist, DateOnly today)
        where T : CareerEvent =>
        read.Event is { } proposed ? Admit(specialist, proposed, today) : read.Errors.AsRejection();

    public static Decision Admit(Specialist specialist, CareerEvent proposed, DateOnly today)
    {
        if (proposed.EffectiveOn > today)
            return Rejection.BadRequest("future-date",
                $"The effective date {proposed.EffectiveOn:yyyy-MM-dd} is in the future (today is {today:yyyy-MM-dd}).",
                "effectiveOn");

        var candidate = specialist.Entries.Append(
            new CareerEntry(Guid.Empty, specialist.Version + 1, DateTimeOffset.MaxValue, null, proposed));
        return CareerRules.Check(CareerHistory.From(candidate)) is { } rejection
            ? rejection
            : Decision.Accept(proposed);
    }
}
