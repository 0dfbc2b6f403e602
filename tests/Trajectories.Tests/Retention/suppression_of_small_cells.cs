using Trajectories.Retention;

namespace Trajectories.Tests.Retention;

public class suppression_of_small_cells
{
    private readonly Suppression _eleven = new(11);

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(10, true)]
    [InlineData(11, false)]
    public void hides_counts_from_one_to_ten(int count, bool hidden) => Assert.Equal(hidden, _eleven.Hides(count));

    [Fact]
    public void a_lone_hidden_cell_takes_the_smallest_other_non_zero_cell_with_it()
    {
        // 40 = 25 + 12 + 3 + 0: hiding only the 3 would leave it as 40 - 25 - 12.
        Assert.Equal([false, true, true, false], _eleven.HideInRow([25, 12, 3, 0]));
    }

    [Fact]
    public void two_hidden_cells_already_protect_each_other() =>
        Assert.Equal([false, true, true], _eleven.HideInRow([30, 4, 5]));

    [Fact]
    public void a_minimum_of_one_shows_everything() =>
        Assert.Equal([false, false], new Suppression(1).HideInRow([1, 2]));

    [Fact]
    public void a_single_small_group_is_hidden_alone_and_a_lone_small_group_among_others_takes_one_more()
    {
        Assert.Equal([true], SurvivalReports.SuppressedGroups([5], _eleven));
        Assert.Equal([false, true, true], SurvivalReports.SuppressedGroups([50, 12, 3], _eleven));
    }
}
