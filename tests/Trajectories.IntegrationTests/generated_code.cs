using System.Diagnostics;

namespace Trajectories.IntegrationTests;

/// <summary>
/// The service loads its Wolverine handlers from code generated ahead of time (TypeLoadMode.Static, issue 18), so
/// the checked-in code must be what Wolverine generates from today's handlers and endpoints. The generator needs no
/// database; it runs in an empty folder and its output is compared file by file.
/// </summary>
public class generated_code
{
    private const string Folder = "Internal/Generated";

    [Fact]
    public async Task the_checked_in_handlers_are_what_wolverine_generates_from_todays_code()
    {
        var scratch = Directory.CreateTempSubdirectory("traj-codegen-");
        try
        {
            var info = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = scratch.FullName, RedirectStandardOutput = true, RedirectStandardError = true,
            };
            foreach (var a in new[] { Repository.ServiceDll(), "codegen", "write" }) info.ArgumentList.Add(a);
            // Parsed, never opened: generating code does not touch the database.
            info.Environment["ConnectionStrings__Marten"] = "Host=127.0.0.1;Port=1;Database=none;Username=none";
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"codegen write failed: {await output} {await errors}");

            var fresh = Files(Path.Combine(scratch.FullName, Folder));
            var checkedIn = Files(Path.Combine(Repository.Root(), "src", "Trajectories", Folder));
            var stale = fresh.Keys.Union(checkedIn.Keys)
                .Where(f => fresh.GetValueOrDefault(f) != checkedIn.GetValueOrDefault(f)).Order().ToList();
            Assert.True(stale.Count == 0,
                $"the generated code is stale ({string.Join(", ", stale.Take(10))}): run `make codegen` and commit " +
                $"src/Trajectories/{Folder}");
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static Dictionary<string, string> Files(string root) => Directory.Exists(root)
        ? Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllText)
        : [];
}
