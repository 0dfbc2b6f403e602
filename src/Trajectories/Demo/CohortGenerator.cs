using Trajectories.Careers;

namespace Trajectories.Demo;

/// <summary>
/// A synthetic multistate CPS cohort shaped by the research in shared/domain.md: many never get a peer job (MHPSA
/// residents more often do), part-time is common, disability pauses and benefit-driven hour cuts, burnout the most
/// common reason to leave, moves to clinical roles, tier promotions, lower rural wages, some return to peer work.
/// Reproducible from the seed. Each person's events pass <see cref="CareerRules"/> before they are kept.
/// </summary>
public sealed class CohortGenerator(int seed, DateOnly today)
{
    private readonly Random _random = new(seed);
    private static readonly string[] States = ["OR", "PA", "GA", "TX"];
    private static readonly (string Reason, double Weight)[] Reasons =
    [
        ("burnout", 0.28), ("health-disability", 0.18), ("position-cut", 0.15), ("better-pay", 0.12),
        ("clinical-role", 0.10), ("relocation", 0.05), ("personal", 0.07), ("dismissed", 0.03), ("other", 0.02),
    ];

    public IReadOnlyList<CareerEvent> Person(int index)
    {
        var state = States[index % States.Length];
        var rural = Chance(0.25);
        var mhpsa = Chance(rural ? 0.7 : 0.3);
        var certifiedOn = new DateOnly(2019 + _random.Next(0, 6), 1, 1).AddDays(_random.Next(0, 365));
        var credential = Pick(
            [("adult-peer", 0.6), ("recovery-coach", 0.2), ("youth-peer", 0.1), ("family-peer", 0.1)]);
        DateOnly? observedFrom = Chance(0.1) ? certifiedOn.AddDays(_random.Next(30, 180)) : null;
        var events = new List<CareerEvent>
        {
            new SpecialistCertified($"Specialist {index:D6}", state, credential, $"{state}-{100000 + index}",
                certifiedOn, rural ? "Rural County" : "Metro County", rural, mhpsa, observedFrom),
        };

        var cursor = certifiedOn;
        var everPeer = Chance(mhpsa ? 0.65 : 0.5);
        if (!everPeer && Chance(0.35)) Job(events, ref cursor, "other", rural, firstDelayMonths: 4);
        else if (everPeer)
        {
            var spells = 1 + (Chance(0.25) ? 1 : 0);
            for (var s = 0; s < spells && cursor < today; s++)
                Job(events, ref cursor, "peer", rural, firstDelayMonths: s == 0 ? 5 : 6);
        }
        // Follow-up surveys every six months (a prospective cohort): most answer most years, some with burnout scores,
        // until they are lost to follow-up.
        DateOnly? lostOn = Chance(0.08) ? cursor.AddDays(_random.Next(30, 400)) : null;
        if (Chance(0.8))
            for (var year = certifiedOn.AddMonths(6);
                 year <= today && (lostOn is null || year.AddDays(30) < lostOn);
                 year = year.AddMonths(6))
                if (Chance(0.85))
                {
                    var withScores = Chance(0.4);
                    events.Add(new CheckedIn(year.AddDays(_random.Next(0, 30)), Reported(events, year),
                        withScores ? Score(2.5) : null, withScores ? Score(1.5) : null,
                        withScores ? Score(4.5) : null));
                }
        if (lostOn is { } lost) events.Add(new LostToFollowUp(lost, "no answer to follow-up surveys"));

        var kept = events.Where(e => e.EffectiveOn <= today).ToList();
        return Valid(kept);
    }

    private void Job(List<CareerEvent> events, ref DateOnly cursor, string type, bool rural, int firstDelayMonths)
    {
        var start = cursor.AddDays((int)Exponential(firstDelayMonths * 30.4));
        if (start > today) { cursor = start; return; }
        var job = JobId();
        var partTime = Chance(type == "peer" ? 0.45 : 0.35);
        var hours = partTime ? 16 + _random.Next(0, 15) : 40;
        var wage = Math.Round(
            (type == "peer" ? 17.5m : 19m) + (decimal)(_random.NextDouble() * 4) - (rural ? 2m : 0m), 2);
        events.Add(new Hired(job, type == "peer" ? "Peer Support Agency" : "Community Employer",
            type == "peer" ? "Peer Support Specialist" : "Associate",
            type, type == "peer" ? "Peer I" : null, hours, wage, start));

        var tenure = (int)Exponential(type == "peer" ? 900 : 700);
        var end = start.AddDays(Math.Max(14, tenure));
        if (type == "peer" && tenure > 400 && Chance(0.35))
            events.Add(new Promoted(job, Chance(0.25) && tenure > 900 ? "Peer III" : "Peer II", wage + 1.5m,
                start.AddDays(_random.Next(300, Math.Min(tenure, 800)))));
        if (Chance(0.1) && tenure > 200)
            events.Add(new WageOrHoursChanged(job, null, 18, "keeping under the SSDI earnings limit",
                start.AddDays(_random.Next(60, 200))));
        if (Chance(0.12) && tenure > 250)
        {
            var pause = start.AddDays(_random.Next(90, tenure - 120));
            events.Add(new DisabilityPauseStarted("disability leave", pause));
            events.Add(new DisabilityPauseEnded(pause.AddDays(_random.Next(30, 110))));
        }
        if (end <= today)
        {
            var reason = Pick(Reasons);
            events.Add(new Separated(job, reason, reason is not ("position-cut" or "dismissed"), end, null));
            if (reason == "clinical-role" && Chance(0.6))
                events.Add(new CredentialEarned(Chance(0.5) ? "CADC" : "QMHA", end.AddDays(-_random.Next(10, 120))));
        }
        cursor = end;
    }

    /// <summary>
    /// Drops whatever the rules would refuse (a late pause overlapping a separation, say), one event at a time.
    /// </summary>
    private static List<CareerEvent> Valid(List<CareerEvent> events)
    {
        var kept = new List<CareerEvent>();
        foreach (var e in events)
        {
            // Entries need distinct ids: the history keys events by id (corrections name them).
            var candidate = kept.Append(e).Select((x, i) =>
                new CareerEntry(new Guid(i + 1, 0, 0, new byte[8]), i + 1, DateTimeOffset.MinValue, "seed", x));
            if (CareerRules.Check(CareerHistory.From(candidate)) is null) kept.Add(e);
        }
        return kept;
    }

    /// <summary>What the person would report on a date: their status from the events so far.</summary>
    private static string Reported(List<CareerEvent> events, DateOnly on)
    {
        var entries = events.Select((x, i) =>
            new CareerEntry(new Guid(i + 1, 0, 0, new byte[8]), i + 1, DateTimeOffset.MinValue, "seed", x));
        var status = CareerState.At(CareerHistory.From(entries), on).Status;
        return status == Vocabulary.Status.LostToFollowUp ? Vocabulary.Status.NotEmployed : status;
    }

    private bool Chance(double p) => _random.NextDouble() < p;
    private double Exponential(double mean) => -mean * Math.Log(1 - _random.NextDouble());
    private decimal Score(double mean) =>
        Math.Clamp(Math.Round((decimal)(mean + (_random.NextDouble() - 0.5) * 2), 1), 0, 6);

    private string Pick((string Value, double Weight)[] choices)
    {
        var x = _random.NextDouble() * choices.Sum(c => c.Weight);
        foreach (var (value, weight) in choices)
            if ((x -= weight) <= 0) return value;
        return choices[^1].Value;
    }

    /// <summary>A job id from the seed, so the same seed gives the same jobs (and the same record keys).</summary>
    private Guid JobId()
    {
        var bytes = new byte[16];
        _random.NextBytes(bytes);
        return new Guid(bytes);
    }
}
