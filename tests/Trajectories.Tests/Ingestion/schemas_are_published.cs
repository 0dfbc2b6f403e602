using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using Trajectories.Careers;
using Trajectories.Ingestion;

namespace Trajectories.Tests.Ingestion;

/// <summary>
/// docs/ingestion/schemas holds a JSON Schema per CloudEvents type, made from the very types the service reads, so
/// the published contract cannot drift from the code: this test fails when they differ. To refresh the files after
/// changing a command: TRAJECTORIES_WRITE_SCHEMAS=1 dotnet test tests/Trajectories.Tests --filter schemas_are_published
/// </summary>
public class schemas_are_published
{
    private static string Folder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Trajectories.sln"))) dir = dir.Parent;
        return Path.Combine(dir!.FullName, "docs", "ingestion", "schemas");
    }

    public static JsonObject Schema(IngestType type)
    {
        var options = new JsonSerializerOptions(CareerJson.Options)
        {
            TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver()
        };
        var data = JsonSchemaExporter.GetJsonSchemaAsNode(options, type.Data,
            new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = false });
        return new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"https://trajectories.example/schemas/{type.CloudEventType}.json",
            ["title"] = type.CloudEventType,
            ["description"] =
                $"A CloudEvent (1.0, JSON structured mode) recording '{type.Kind}'. 'subject' names the person: " +
                "our specialist id or STATE:certificationNumber" +
                (type.Kind == IngestType.Certified ? " (optional here; when given it must match the data)." : "."),
            ["type"] = "object",
            ["required"] = new JsonArray("specversion", "id", "source", "type", "data"),
            ["properties"] = new JsonObject
            {
                ["specversion"] = new JsonObject { ["const"] = "1.0" },
                ["id"] = new JsonObject
                {
                    ["type"] = "string", ["minLength"] = 1, ["maxLength"] = 256,
                    ["description"] = "With source, the idempotency key."
                },
                ["source"] = new JsonObject { ["type"] = "string", ["minLength"] = 1, ["maxLength"] = 512 },
                ["type"] = new JsonObject { ["const"] = type.CloudEventType },
                ["subject"] = new JsonObject { ["type"] = "string", ["maxLength"] = 256 },
                ["time"] = new JsonObject { ["type"] = "string", ["format"] = "date-time" },
                ["datacontenttype"] = new JsonObject { ["const"] = "application/json" },
                ["data"] = data,
            },
        };
    }

    [Fact]
    public void every_type_has_its_schema_in_the_docs()
    {
        var folder = Folder();
        var write = Environment.GetEnvironmentVariable("TRAJECTORIES_WRITE_SCHEMAS") == "1";
        if (write) Directory.CreateDirectory(folder);
        var stale = new List<string>();
        foreach (var type in IngestType.All)
        {
            var path = Path.Combine(folder, type.CloudEventType + ".json");
            var expected = Schema(type).ToJsonString(new JsonSerializerOptions
            {
                WriteIndented = true,
                Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping
            }) + "\n";
            if (write) File.WriteAllText(path, expected);
            else if (!File.Exists(path) || File.ReadAllText(path).ReplaceLineEndings("\n") != expected) stale.Add(path);
        }
        Assert.True(
            stale.Count == 0,
            "schemas differ from the code (refresh with TRAJECTORIES_WRITE_SCHEMAS=1): " + string.Join(", ", stale));
        Assert.Equal(IngestType.All.Count, Directory.GetFiles(folder, "*.json").Length);
    }
}
