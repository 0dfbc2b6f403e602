using System.Diagnostics;

namespace Trajectories.IntegrationTests;

/// <summary>The service's command line (`dotnet Trajectories.dll ...`) run as a real process on a database.</summary>
public static class Cli
{
    public static Task<(int Exit, string Out, string Err)> RunAsync(string connectionString, params string[] args) =>
        RunWithAsync(connectionString, [], args);

    public static async Task<(int Exit, string Out, string Err)> RunWithAsync(
        string connectionString, (string Name, string Value)[] environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false
        };
        info.ArgumentList.Add(Repository.ServiceDll());
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["ConnectionStrings__Marten"] = connectionString;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in environment) info.Environment[name] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }
}
