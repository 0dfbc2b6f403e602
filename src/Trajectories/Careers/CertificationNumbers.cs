using Marten;

namespace Trajectories.Careers;

/// <summary>A certification number is unique within a state.</summary>
public static class CertificationNumbers
{
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
            $"Certification number {number} is already registered in {state} (specialist {holder}).", "certificationNumber");
}
