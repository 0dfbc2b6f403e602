using Trajectories.Careers;
using Trajectories.Careers.Registering;
using static Trajectories.Tests.CareerSpec;

namespace Trajectories.Tests.Careers;

public class when_registering_a_specialist
{
    private static RegisterSpecialist Valid() =>
        new("Ada Lovelace", "or", "adult-peer", "OR-1", D("2022-01-10"), "Lane", false, true, null);

    [Fact]
    public void records_the_certification_with_the_state_in_capitals()
    {
        var (certified, errors) = RegisterSpecialistEndpoint.Read(Valid(), Today);
        Assert.False(errors.Any);
        Assert.Equal("OR", certified!.State);
        Assert.Equal(D("2022-01-10"), certified.CertifiedOn);
    }

    [Fact]
    public void names_every_missing_field_at_once()
    {
        var (certified, errors) =
            RegisterSpecialistEndpoint.Read(new(null, null, null, null, null, null, null, null, null), Today);
        Assert.Null(certified);
        var rejection = errors.AsRejection();
        Assert.Equal(400, rejection.Status);
        Assert.Equal("missing-field", rejection.Rule);
        Assert.Equal(
            ["certificationNumber", "certifiedOn", "county", "credential", "mhpsa", "name", "rural", "state"],
            rejection.FieldErrors!.Keys.Order());
    }

    [Fact]
    public void rejects_an_unknown_credential() =>
        Assert.Equal(
            "invalid-value",
            RegisterSpecialistEndpoint.Read(Valid() with { Credential = "nurse" }, Today).Item2.AsRejection().Rule);

    [Fact]
    public void rejects_a_state_that_is_not_a_two_letter_code() =>
        Assert.Contains(
            "state",
            RegisterSpecialistEndpoint.Read(Valid() with { State = "Oregon" }, Today).Item2.AsRejection()
                .FieldErrors!.Keys);

    [Fact]
    public void rejects_a_certification_date_in_the_future() =>
        Assert.Equal(
            "future-date",
            RegisterSpecialistEndpoint.Read(Valid() with { CertifiedOn = Today.AddDays(1) }, Today).Item2
                .AsRejection().Rule);

    [Fact]
    public void rejects_an_observation_start_before_certification() =>
        Assert.Equal("observation-before-certification",
            RegisterSpecialistEndpoint.Read(Valid() with { ObservationStart = D("2021-12-31") }, Today).Item2
                .AsRejection().Rule);

    private static Decision Decide(RegisterSpecialist command, Caller caller, NumberHolder holder) =>
        RegisterSpecialistEndpoint.DecideAsync(command, caller, Today, holder).AsTask().GetAwaiter().GetResult();

    private static readonly Caller EveryState = new("test", Roles.Staff, null, "key");

    [Fact]
    public void one_decision_checks_fields_scope_and_the_number_in_that_order()
    {
        var holder = Guid.NewGuid();
        NumberHolder taken = (_, _) => ValueTask.FromResult<Guid?>(holder);
        var idahoOnly = new Caller("test", Roles.Staff, new HashSet<string> { "ID" }, "key");

        Decide(Valid() with { Name = null }, idahoOnly, taken).Rejects("missing-field", 400);
        Decide(Valid(), idahoOnly, taken).Rejects("state-out-of-scope", 403);
        var duplicate = Decide(Valid(), EveryState, taken).Rejects("duplicate-certification-number", 409);
        Assert.Contains(holder.ToString(), duplicate.Detail);
        Assert.Equal(
            "OR",
            Decide(Valid(), EveryState, CertificationNumbers.NobodyYet).Appends<SpecialistCertified>().State);
    }
}
