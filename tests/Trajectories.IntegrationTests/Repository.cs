namespace Trajectories.IntegrationTests;

/// <summary>Where the repository and the service's build output are, for tests that run the service as a
/// process.</summary>
public static class Repository
{
    public static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Trajectories.sln"))) dir = dir.Parent;
        return dir?.FullName
            ?? throw new DirectoryNotFoundException("Trajectories.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The service built in the same configuration as these tests (`make test` builds the solution
    /// first).</summary>
    public static string ServiceDll()
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/") ? "Release" : "Debug";
        return Path.Combine(Root(), "src/Trajectories/bin", configuration, "net10.0/Trajectories.dll");
    }
}
