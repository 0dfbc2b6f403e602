using Marten;

namespace Trajectories.Careers;

/// <summary>
/// Who already holds a certification number in a state (null: nobody). The staff endpoints ask the database; the
/// ingestion apply step asks the people its batch loaded; the intake's first checks, which run before anything is
/// read, ask <see cref="CertificationNumbers.NobodyYet"/> and leave the question to the apply step.
/// </summary>
public delegate ValueTask<Guid?> NumberHolder(string state, string number);

/// <summary>A certification number is unique within a state.</summary>
public static class CertificationNumbers
{
    /// <summary>What erasure writes over a name and a certification number (docs/adr/0009-access-model.md).</summary>
    public const string Erased = "[erased]";

    /// <summary>
    /// Erased certification numbers differ per person, so the (state, number) unique index still holds.
    /// </summary>
    public static string Stored(string number, Guid id) => number == Erased ? $"{Erased}:{id}" : number;

    public static readonly NumberHolder NobodyYet = (_, _) => ValueTask.FromResult<Guid?>(null);

    /// <summary>The database's answer, leaving out the person being corrected.</summary>
    public static NumberHolder In(IQuerySession session, Guid? except = null) =>
        async (state, number) => await HolderAsync(session, state, number, except);

    public static async Task<Guid?> HolderAsync(IQuerySession session, string state, string number, Guid? except = null)
    {
        var ids = await session.Query<Specialist>()
            .Where(s => s.State == state && s.CertificationNumber == number)
            .Select(s => s.Id)
            .ToListAsync();
        return ids.Where(id => id != except).Cast<Guid?>().FirstOrDefault();
    }

    public static Rejection Duplicate(string state, string number, Guid holder) =>
        Rejection.Conflict("duplicate-certification-number",
            $"Certification number {number} is already registered in {state} (specialist {holder}).",
            "certificationNumber") with { SpecialistId = holder };
}
