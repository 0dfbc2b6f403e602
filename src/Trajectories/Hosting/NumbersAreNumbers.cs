using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Trajectories.Hosting;

/// <summary>
/// ASP.NET's document generator describes every number as "number or string" because the JSON options read numbers
/// written as strings. The service always writes numbers, and clients should send them: the document says so, and the
/// web app's generated types get plain numbers.
/// </summary>
public static class NumbersAreNumbers
{
    public static void Add(OpenApiOptions options) => options.AddSchemaTransformer((schema, _, _) =>
    {
        if (schema.Type is { } type && (type & (JsonSchemaType.Number | JsonSchemaType.Integer)) != 0
            && (type & JsonSchemaType.String) != 0)
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
        return Task.CompletedTask;
    });
}
