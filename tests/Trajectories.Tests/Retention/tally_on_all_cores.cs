using Trajectories.Retention;

namespace Trajectories.Tests.Retention;

public class tally_on_all_cores
{
    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(100_003)]
    public void adds_up_to_the_same_counts_as_one_loop(int n)
    {
        var items = Enumerable.Range(0, n).ToList();
        var counts = Tally.Count(items, 3, (x, local) => local[x % 3]++);
        Assert.Equal(
            [items.Count(x => x % 3 == 0), items.Count(x => x % 3 == 1), items.Count(x => x % 3 == 2)],
            counts);
    }
}
