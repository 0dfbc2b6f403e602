using JasperFx;
using Trajectories.Access;
using Trajectories.Careers;
using Trajectories.Hosting;
using Trajectories.Ingestion;
using Trajectories.Retention;
using Trajectories.Retries;

var builder = WebApplication.CreateBuilder(args);

try
{
    builder.AddTrajectoriesStore();
    builder.Services.AddCareers(builder.Configuration);
    builder.Services.AddRetention(builder.Configuration);
    builder.AddTrajectoriesAccess();
    builder.AddIngestion();
    builder.AddRetries();
    builder.AddTrajectoriesHttp();
}
catch (ConfigurationError e)
{
    Console.Error.WriteLine($"trajectories: {e.Message}");
    return 2;
}

var app = builder.Build();

app.UseTrajectoriesHttp();

// JasperFx's command line: `run` by default, plus `db-apply`, `projections --rebuild`, `codegen`, `describe`.
return await app.RunJasperFxCommands(args);

public partial class Program;
