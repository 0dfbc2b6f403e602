using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Trajectories.Web;

/// <summary>
/// The web app (web/, built by Vite) served by the service itself at /. Its files come from Web:Root; by default
/// wwwroot beside the service when it holds a build (a published service), else web/dist of the repository the
/// service runs from (make run, the tests). Routes live after '#', so the server needs no fallback route.
/// </summary>
public static class WebApp
{
    public static string? FindRoot(IConfiguration configuration, string contentRoot)
    {
        if (configuration["Web:Root"] is { Length: > 0 } configured)
            return Path.GetFullPath(configured, contentRoot);
        var published = Path.Combine(contentRoot, "wwwroot");
        if (File.Exists(Path.Combine(published, "index.html"))) return published;
        for (var dir = new DirectoryInfo(contentRoot); dir is not null; dir = dir.Parent)
        {
            var dist = Path.Combine(dir.FullName, "web", "dist");
            if (File.Exists(Path.Combine(dist, "index.html"))) return dist;
            if (File.Exists(Path.Combine(dir.FullName, "Trajectories.sln"))) break;
        }
        return null;
    }

    public static WebApplication UseTrajectoriesWeb(this WebApplication app)
    {
        var root = FindRoot(app.Configuration, app.Environment.ContentRootPath);
        if (root is null || !File.Exists(Path.Combine(root, "index.html")))
        {
            app.Logger.LogWarning(
                "The web app is not built (no index.html under Web:Root or web/dist); / explains how to build it");
            // Not an endpoint: an unbuilt app is a deployment problem, reported where a person looks for the app.
            app.Use((context, next) => context.Request.Path == "/"
                ? Results.Text(
                        "The web app is not built. Run `make run` (it builds web/), " +
                        "or `npm --prefix web ci && npm --prefix web run build`, " +
                        "or set Web:Root to a built copy.\n", statusCode: StatusCodes.Status503ServiceUnavailable)
                    .ExecuteAsync(context)
                : next(context));
            return app;
        }

        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = ctx =>
            {
                // Vite names built assets by content hash: cache them for good; index.html must always be fresh.
                ctx.Context.Response.Headers[HeaderNames.CacheControl] =
                    ctx.Context.Request.Path.StartsWithSegments("/assets")
                        ? "public, max-age=31536000, immutable"
                        : "no-cache";
            },
        });
        return app;
    }
}
