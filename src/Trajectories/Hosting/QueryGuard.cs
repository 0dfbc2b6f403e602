using Trajectories.Careers;

namespace Trajectories.Hosting;

/// <summary>
/// Refuses a query string holding a control character (a NUL, say) before any endpoint reads it: PostgreSQL cannot
/// take one in a text parameter, and every endpoint that filters by text (state, q, subject, source, rule) answered
/// 500. Checked once here, for every endpoint; the value is not echoed back or logged.
/// </summary>
public static class QueryGuard
{
    public static IApplicationBuilder UseQueryGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        foreach (var (key, values) in context.Request.Query)
        {
            if (!HasControl(key) && !values.Any(v => v is not null && HasControl(v))) continue;
            var name = new string(key.Select(c => char.IsControl(c) ? '?' : c).ToArray());
            await Rejection.BadRequest("invalid-character",
                    $"The query parameter '{name}' holds a control character, which no parameter takes.", name)
                .ToProblem().ExecuteAsync(context);
            return;
        }
        await next();
    });

    private static bool HasControl(string text) => text.Any(char.IsControl);
}
