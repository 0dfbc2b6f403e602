namespace Trajectories.IntegrationTests.Ingestion;

/// <summary>A bad Ingest:ApplyPartitions stops the service at start-up with one line and a non-zero exit.</summary>
public class apply_partitions_setting
{
    [Theory]
    [InlineData("0")]
    [InlineData("12")]
    public async Task an_out_of_range_value_is_one_line_and_exit_2(string value)
    {
        var (exit, _, err) = await Cli.RunWithAsync(
            "Host=127.0.0.1;Port=1;Database=unused", [("Ingest__ApplyPartitions", value)], "describe");
        Assert.Equal(2, exit);
        Assert.Equal($"trajectories: Ingest:ApplyPartitions must be between 1 and 9; it is {value}.", err.Trim());
    }
}
