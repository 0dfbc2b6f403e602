using Trajectories.Retention.Facts;
using Trajectories.Retention.Occupation;
using Trajectories.Survival;

namespace Trajectories.Tests.Retention;

/// <summary>The analysts' monthly multi-state life table (ADR 18), on its exact form (no perturbation).</summary>
public class occupation_tables
{
    private static OccupationPath Person(int id, params StateEpisode[] episodes) =>
        new(new RetentionFacts { Id = Guid.NewGuid() }, episodes.Select(e => e with { Subject = id }).ToList(),
            (uint)id);

    [Fact]
    public void someone_who_moves_on_the_as_of_day_is_no_longer_followed_after_it()
    {
        // Five followed for years; twelve who took a peer job on the as-of day (day 300 for them).
        var paths = Enumerable.Range(0, 5).Select(i => Person(i, new StateEpisode(0, 0, 2000, 2, null)))
            .Concat(Enumerable.Range(5, 12).Select(i => Person(i, new StateEpisode(0, 0, 300, 2, 0)))).ToList();
        var table = ProtectedOccupation.Table(paths, null);
        var moveMonth = Trajectories.Retention.Disclosure.MonthlyTable.Month(300);
        Assert.Equal(17, table.Rows[moveMonth].AtRisk.Sum());
        Assert.Equal(12, table.Rows[moveMonth].Moves[2][0]);
        Assert.All(table.Rows.Skip(moveMonth + 1), r => Assert.Equal(5, r.AtRisk.Sum()));
    }

    [Fact]
    public void person_years_count_half_a_month_for_those_arriving_or_leaving_in_it()
    {
        // One person 45 days in state 0 then censored; one 100 days in state 1, moving to 2 and followed to day 200.
        var paths = new List<OccupationPath>
        {
            Person(1, new StateEpisode(0, 0, 45, 0, null)),
            Person(2, new StateEpisode(0, 0, 100, 1, 2), new StateEpisode(0, 100, 200, 2, null)),
        };
        var table = ProtectedOccupation.Table(paths, null);
        // Exact: 45, 100 and 100 days. Months of 30 or 31 days put each change mid-month: within half a month.
        Assert.InRange(table.PersonYears[0] * 365.25, 45 - 16, 45 + 16);
        Assert.InRange(table.PersonYears[1] * 365.25, 100 - 16, 100 + 16);
        Assert.InRange(table.PersonYears[2] * 365.25, 100 - 31, 100 + 31);
        Assert.Equal(0, table.PersonYears[3]);
    }
}
