using System.Security.Cryptography;
using System.Text;
using Trajectories.Careers;

namespace Trajectories.Access;

/// <summary>
/// A write made with the session cookie must carry the session's CSRF token in <c>X-CSRF-Token</c>, else 403
/// <c>csrf-token-required</c> before any endpoint runs. Calls made with a key or token carry no cookie authority and
/// are not checked.
/// </summary>
public sealed class CsrfCheck(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.User.Identity?.AuthenticationType == SessionAuthentication.SchemeName
            && !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
                 || HttpMethods.IsOptions(context.Request.Method))
            && context.GetEndpoint()?.Metadata.GetMetadata<CsrfExempt>() is null)
        {
            var expected = context.User.FindFirst(SessionAuthentication.CsrfClaim)?.Value ?? "";
            var sent = context.Request.Headers[SessionAuthentication.CsrfHeader].ToString();
            if (expected.Length == 0 || !CryptographicOperations.FixedTimeEquals(
                    Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(expected)))
            {
                await new Rejection("csrf-token-required", 403,
                        $"A change made with the web app's session must send its {SessionAuthentication.CsrfHeader}" +
                        " header (GET /api/session gives it); sign in again if the page is old.")
                    .ToProblem().ExecuteAsync(context);
                return;
            }
        }
        await next(context);
    }
}
