using Trajectories.Careers;
using Trajectories.Retention;
using Trajectories.Retention.Facts;
using Trajectories.Retention.Models;

namespace Trajectories.Tests.Retention;

/// <summary>Spells and jobs split into (start, stop] episodes at every change of their terms (ADR 16).</summary>
public class time_varying_episodes
{
    private static readonly DateOnly Hired = new(2024, 1, 1);
    private static readonly Guid JobId = Guid.Parse("00000000-0000-0000-0000-0000000000a1");

    private static JobFacts Job(Guid id, DateOnly start, DateOnly? end, params JobTerms[] terms) =>
        new(id, "peer", start, end, end is null ? null : "burnout", true, terms[0].Tier, terms[0].FullTime, terms);

    private static RetentionFacts Person(DateOnly? observedFrom, params JobFacts[] jobs) => new()
    {
        Id = Guid.Parse("00000000-0000-0000-0000-000000000001"), State = "OR", Credential = "adult-peer",
        Cohort = 2023, CertifiedOn = new DateOnly(2023, 6, 1), ObservationStart = observedFrom, Jobs = [.. jobs],
        PeerSpells = [new PeerSpell(jobs.Min(j => j.Start), jobs.Any(j => j.End is null) ? null
            : jobs.Max(j => j.End), jobs.Any(j => j.End is null) ? null : "burnout", jobs[0].TierAtStart,
            jobs[0].FullTimeAtStart)],
    };

    // Peer I at 30 h; promoted to Peer II on 1 April (day 91); 40 h from 1 July (day 182); left on 1 October (274).
    private static readonly JobFacts Promoted = Job(JobId, Hired, new DateOnly(2024, 10, 1),
        new JobTerms(Hired, "Peer I", 19, 30), new JobTerms(new DateOnly(2024, 4, 1), "Peer II", 21, 30),
        new JobTerms(new DateOnly(2024, 7, 1), "Peer II", 21, 40));

    private static List<(double? Entry, double Exit, bool Event, string? Tier, string? FullTime, string? Promoted)>
        Rows(Measure measure, RetentionFacts f) =>
        Episodes.For(measure, f, new DateOnly(2025, 1, 1), new CareerLadder()).SelectMany(g => g)
            .Select(e => (e.Observation.Entry, e.Observation.Exit, e.Observation.Event, e.Attributes.Tier,
                e.Attributes.FullTime, e.Attributes.Promoted)).ToList();

    [Fact]
    public void a_job_is_split_at_its_promotion_and_its_hours_change_and_only_the_last_episode_ends_in_the_exit()
    {
        Assert.Equal(
            [(null, 91, false, "Peer I", "false", "false"), (91, 182, false, "Peer II", "false", "true"),
             (182, 274, true, "Peer II", "true", "true")],
            Rows(Measure.Job, Person(null, Promoted)));
    }

    [Fact]
    public void delayed_entry_cuts_the_episodes_before_follow_up_began()
    {
        // Followed from 1 May (day 121): the first episode is gone, the second starts at 121.
        Assert.Equal(
            [(121, 182, false, "Peer II", "false", "true"), (182, 274, true, "Peer II", "true", "true")],
            Rows(Measure.Job, Person(new DateOnly(2024, 5, 1), Promoted)));
    }

    [Fact]
    public void a_peer_work_spell_follows_the_earliest_hired_peer_job_held_and_a_move_down_is_no_promotion()
    {
        // A second peer job from 1 March (day 60) as Lead Peer; the first job ends 1 June (day 152), so from then on
        // the Lead Peer job's terms count: a promotion. Still employed on the as-of date (day 366, censored).
        var first = Job(JobId, Hired, new DateOnly(2024, 6, 1), new JobTerms(Hired, "Peer II", 20, 40));
        var second = Job(Guid.NewGuid(), new DateOnly(2024, 3, 1), null,
            new JobTerms(new DateOnly(2024, 3, 1), "Lead Peer", 24, 20));
        Assert.Equal(
            [(null, 60, false, "Peer II", "true", "false"), (60, 152, false, "Peer II", "true", "false"),
             (152, 366, false, "Lead Peer", "false", "true")],
            Rows(Measure.PeerWork, Person(null, first, second)));
        var down = Job(JobId, Hired, null, new JobTerms(Hired, "Lead Peer", 24, 40),
            new JobTerms(new DateOnly(2024, 5, 1), "Peer I", 19, 40));
        Assert.All(Rows(Measure.Job, Person(null, down)), r => Assert.Equal("false", r.Promoted));
    }
}

/// <summary>How spells become a model's terms (ADR 16).</summary>
public class cox_design
{
    private static Spell Spell(string cohort, string rural, bool left) => new(
        new Trajectories.Survival.Observation(100, left, null), left ? "burnout" : null,
        new SpellAttributes("OR", cohort, "adult-peer", rural, "false"));

    [Fact]
    public void levels_are_terms_against_the_largest_group_and_no_for_yes_no_covariates()
    {
        List<Spell> spells = [Spell("2020", "true", true), Spell("2021", "true", false), Spell("2021", "true", true),
            Spell("2022", "false", true)];
        var (covariates, terms, rows, rejection) = CoxDesign.Build(spells, ["cohort", "rural"],
            CoxDesign.Levels(new CareerLadder()));
        Assert.Null(rejection);
        Assert.Equal(["2021", "false"], covariates.Select(c => c.Reference));
        Assert.Equal(["cohort=2020", "cohort=2022", "rural=true"], terms);
        Assert.Equal([1.0, 0, 1], rows[0].X);
    }

    [Fact]
    public void more_terms_than_a_model_takes_is_refused_naming_the_covariates_with_most_levels()
    {
        var spells = Enumerable.Range(1980, 40).Select(y => Spell(y.ToString(), "false", y % 2 == 0)).ToList();
        var rejection = CoxDesign.Build(spells, ["cohort"], CoxDesign.Levels(new CareerLadder())).Rejection;
        Assert.Equal("too-many-terms", rejection!.Rule);
        Assert.Equal(422, rejection.Status);
        Assert.Contains("cohort: 40", rejection.Detail);
    }
}

/// <summary>Time to a first promotion (issue 17): given a career, when the spell's tier first rose.</summary>
public class time_to_first_promotion
{
    private static readonly DateOnly Hired = new(2024, 1, 1);

    private static RetentionFacts Career(DateOnly? observedFrom, DateOnly? end, params JobTerms[] terms) => new()
    {
        Id = Guid.Parse("00000000-0000-0000-0000-000000000002"), State = "OR", Credential = "adult-peer",
        Cohort = 2023, CertifiedOn = new DateOnly(2023, 6, 1), ObservationStart = observedFrom,
        Jobs = [new JobFacts(Guid.NewGuid(), "peer", Hired, end, end is null ? null : "burnout", true, terms[0].Tier,
            terms[0].FullTime, terms)],
        PeerSpells = [new PeerSpell(Hired, end, end is null ? null : "burnout", terms[0].Tier, terms[0].FullTime)],
    };

    private static Spell? Promotion(RetentionFacts f) =>
        Trajectories.Retention.Ladder.FirstPromotion.For(f, new DateOnly(2025, 1, 1), new CareerLadder());

    [Fact]
    public void a_promotion_is_the_event_on_the_day_the_higher_tier_starts()
    {
        var spell = Promotion(Career(null, new DateOnly(2024, 10, 1), new JobTerms(Hired, "Peer I", 19, 30),
            new JobTerms(new DateOnly(2024, 4, 1), "Peer II", 21, 30)))!;
        Assert.Equal((91, true), (spell.Observation.Exit, spell.Observation.Event));
        Assert.Equal("Peer I", spell.Attributes.Tier);       // grouped by the tier at the start
    }

    [Fact]
    public void leaving_peer_work_unpromoted_or_moving_down_is_censored_at_the_end_of_the_spell()
    {
        var down = Promotion(Career(null, new DateOnly(2024, 10, 1), new JobTerms(Hired, "Lead Peer", 24, 40),
            new JobTerms(new DateOnly(2024, 5, 1), "Peer I", 19, 40)))!;
        Assert.Equal((274, false), (down.Observation.Exit, down.Observation.Event));
        var still = Promotion(Career(null, null, new JobTerms(Hired, "Peer I", 19, 40)))!;
        Assert.Equal((366, false), (still.Observation.Exit, still.Observation.Event));
    }

    [Fact]
    public void someone_promoted_before_follow_up_began_is_not_in_the_sample()
    {
        Assert.Null(Promotion(Career(new DateOnly(2024, 5, 1), null, new JobTerms(Hired, "Peer I", 19, 30),
            new JobTerms(new DateOnly(2024, 4, 1), "Peer II", 21, 30))));
        var later = Promotion(Career(new DateOnly(2024, 3, 1), null, new JobTerms(Hired, "Peer I", 19, 30),
            new JobTerms(new DateOnly(2024, 4, 1), "Peer II", 21, 30)))!;
        Assert.Equal((60.0, 91.0, true), (later.Observation.Entry!.Value, later.Observation.Exit,
            later.Observation.Event));
    }
}

/// <summary>One model fit per caller at a time, and a node's fits limited to half its cores (ADR 16).</summary>
public class model_gate
{
    [Fact]
    public async Task a_caller_with_a_fit_running_is_refused_a_second_and_may_ask_again_after_it()
    {
        var gate = new ModelGate();
        var first = await gate.EnterAsync("key-a", default);
        Assert.NotNull(first);
        Assert.Null(await gate.EnterAsync("key-a", default));
        await first!.DisposeAsync();
        var again = await gate.EnterAsync("key-a", default);
        Assert.NotNull(again);
        await again!.DisposeAsync();
    }

    [Fact]
    public async Task other_callers_wait_for_a_free_slot_and_give_up_when_their_caller_does()
    {
        var gate = new ModelGate();
        var held = new List<IAsyncDisposable>();
        for (var i = 0; i < Math.Max(1, Environment.ProcessorCount / 2); i++)
            held.Add((await gate.EnterAsync($"key-{i}", default))!);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gate.EnterAsync("key-late", cancel.Token));
        // The caller that gave up is not left marked as running.
        await held[0].DisposeAsync();
        var late = await gate.EnterAsync("key-late", default);
        Assert.NotNull(late);
    }
}
