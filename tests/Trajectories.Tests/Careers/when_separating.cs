using Trajectories.Careers;
using Trajectories.Careers.Separating;
using static Trajectories.Tests.CareerSpec;

namespace Trajectories.Tests.Careers;

public class when_separating
{
    [Fact]
    public void appends_the_separation_with_its_reason()
    {
        var separated = SeparateEndpoint.Decide(
                new Separate(PeerJob, "Burnout", true, D("2024-02-29"), "too many hours"),
                Given(Certified(), PeerHire()), Today)
            .Appends<Separated>();
        Assert.Equal(new Separated(PeerJob, "burnout", true, D("2024-02-29"), "too many hours"), separated);
    }

    [Fact]
    public void rejects_a_separation_before_the_job_started() =>
        SeparateEndpoint.Decide(new Separate(PeerJob, "burnout", true, D("2022-02-01"), null),
                Given(Certified(), PeerHire("2022-03-01")), Today)
            .Rejects("separation-before-start", 400);

    [Fact]
    public void rejects_a_second_separation_from_the_same_job() =>
        SeparateEndpoint.Decide(new Separate(PeerJob, "other", false, D("2024-05-01"), null),
                Given(Certified(), PeerHire(), new Separated(PeerJob, "burnout", true, D("2024-02-29"), null)), Today)
            .Rejects("job-not-held", 409);

    [Fact]
    public void rejects_a_job_that_was_never_held() =>
        SeparateEndpoint.Decide(new Separate(OtherJob, "burnout", true, D("2024-02-29"), null),
                Given(Certified(), PeerHire()), Today)
            .Rejects("job-not-held", 409);

    [Fact]
    public void rejects_a_late_separation_dated_before_a_recorded_promotion() =>
        SeparateEndpoint.Decide(new Separate(PeerJob, "burnout", true, D("2023-01-01"), null),
                Given(Certified(), PeerHire(), new Promoted(PeerJob, "Peer II", null, D("2023-03-01"))), Today)
            .Rejects("job-not-held", 409);

    [Fact]
    public void rejects_an_unknown_reason() =>
        SeparateEndpoint.Decide(new Separate(PeerJob, "bored", true, D("2024-02-29"), null),
                Given(Certified(), PeerHire()), Today)
            .Rejects("invalid-value", 400);

    [Fact]
    public void requires_the_voluntary_flag() =>
        SeparateEndpoint.Decide(new Separate(PeerJob, "burnout", null, D("2024-02-29"), null),
                Given(Certified(), PeerHire()), Today)
            .Rejects("missing-field", 400);
}
