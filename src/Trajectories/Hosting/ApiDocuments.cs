using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Trajectories.Retention.Querying;

namespace Trajectories.Hosting;

/// <summary>
/// The API document says how to call every operation (issue 19, item 11): the retention endpoints' query parameters
/// (they read the query string themselves, so ASP.NET sees none) from the same lists their parser uses, and every
/// refusal an operation can answer with as RFC 9457 problem details with the members this API adds (rule, field,
/// errors, specialistId). Wolverine's generated ids are not repeated as descriptions.
/// </summary>
public static class ApiDocuments
{
    private const string ProblemSchema = "Problem";

    public static void Add(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            document.Components.Schemas[ProblemSchema] = Problem();
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var description = context.Description;
            if (operation.Description == operation.OperationId) operation.Description = null;
            var metadata = description.ActionDescriptor.EndpointMetadata;
            var query = metadata.OfType<QueryStringAttribute>().FirstOrDefault();
            if (query is not null) AddQuery(operation, query);

            var path = "/" + (description.RelativePath ?? "");
            var method = description.HttpMethod ?? "GET";
            operation.Responses ??= new OpenApiResponses();
            // Wolverine lists 404 on every operation; only one that names something in its path can answer it.
            if (!path.Contains('{') && operation.Responses.ContainsKey("404")) operation.Responses.Remove("404");
            if ((operation.Parameters?.Count ?? 0) > 0 || operation.RequestBody is not null || path.Contains('{'))
                operation.Responses.TryAdd("400", Response("The request is not valid: each field's problem is in "
                                                           + "errors, keyed by the field"));
            if (path.Contains('{')) operation.Responses.TryAdd("404", Response("Nothing with that id is visible "
                                                                               + "to this caller"));
            if (method == "POST" && path.StartsWith("/api/specialists", StringComparison.Ordinal))
                operation.Responses.TryAdd("409", Response("The recorded history does not allow it; rule names why"));
            if (query is not null)
                operation.Responses.TryAdd("503", Response("No release of the figures is ready yet for analysts "
                                                           + "(release-not-ready); retry after Retry-After"));
            if (path.StartsWith("/api/ingest", StringComparison.Ordinal) || path == "/api/session")
                operation.Responses.TryAdd("429", Response("Too many requests; retry after Retry-After"));
            foreach (var (status, response) in operation.Responses)
                if (status.Length == 3 && status[0] is '4' or '5' && response is OpenApiResponse plain)
                {
                    plain.Content ??= new Dictionary<string, OpenApiMediaType>();
                    plain.Content["application/problem+json"] = new OpenApiMediaType
                    {
                        Schema = new OpenApiSchemaReference(ProblemSchema, context.Document),
                    };
                }
            return Task.CompletedTask;
        });
    }

    private static OpenApiResponse Response(string description) => new() { Description = description };

    private static void AddQuery(OpenApiOperation operation, QueryStringAttribute query)
    {
        operation.Parameters ??= [];
        foreach (var name in query.Names)
        {
            if (operation.Parameters.Any(p => p.Name == name)) continue;
            var words = QueryStringWords.For(name, query.Measure);
            var schema = new OpenApiSchema
            {
                Type = words.Type switch
                {
                    "integer" => JsonSchemaType.Integer,
                    "boolean" => JsonSchemaType.Boolean,
                    _ => JsonSchemaType.String,
                },
                Format = words.Type == "date" ? "date" : null,
            };
            if (words.Values is { } values) schema.Enum = values.Select(v => (JsonNode)JsonValue.Create(v)).ToList();
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name, In = ParameterLocation.Query, Required = false, Description = words.Description,
                Schema = schema,
            });
        }
    }

    /// <summary>RFC 9457's members and this API's: rule (stable, kebab-case), field, errors, specialistId.</summary>
    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details. `rule` names the refusal for programs; `detail` says it for people.",
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = Text("A URI naming the rule."),
            ["title"] = Text("The kind of refusal, by status."),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "The HTTP status." },
            ["detail"] = Text("What was refused and why, in words."),
            ["instance"] = Text("The request."),
            ["rule"] = Text("The rule refused by, stable and kebab-case (job-not-held, same-tier, ...)."),
            ["field"] = Text("The request field it concerns, when one does."),
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object, Description = "Each field's problems, keyed by the field.",
                AdditionalProperties = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String },
                },
            },
            ["specialistId"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String, Format = "uuid",
                Description = "The other person a refusal is about (who already holds a certification number).",
            },
        },
    };

    private static OpenApiSchema Text(string description) =>
        new() { Type = JsonSchemaType.String, Description = description };
}
