using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ReplDash.Engine.Hosting;
using ReplDash.Web.Events;

namespace ReplDash.Web.Security;

/// <summary>The fields of the sign-in form (<c>/login</c>).</summary>
public sealed class SignInForm
{
    /// <summary>User name.</summary>
    public string? UserName { get; set; }

    /// <summary>Password; never logged nor stored in an event.</summary>
    public string? Password { get; set; }

    /// <summary>Local address to go back to once signed in.</summary>
    public string? ReturnUrl { get; set; }
}

/// <summary>
/// <c>POST /account/login</c> and <c>POST /account/logout</c>: plain form posts (the sign-in page is static server
/// rendering), each checked for its anti-forgery token by the framework's antiforgery service (a post without one
/// gets 400). Sign-in is rate
/// limited per client address (<see cref="SecurityOptions.SignInsPerMinute"/>; 429 beyond it) and uses Identity's
/// password check and lockout; failures are stored as <c>sign-in-failed</c> events.
/// </summary>
public static class SignInEndpoints
{
    /// <summary>Where the form posts.</summary>
    public const string SignInPath = "/account/login", SignOutPath = "/account/logout";

    /// <summary>The sign-in page (Components/Pages/Account/LoginPage.razor).</summary>
    public const string LoginPagePath = "/login";

    /// <summary>The rate limiter policy of sign-in.</summary>
    public const string RateLimitPolicy = "sign-in";

    /// <summary>Maps both endpoints.</summary>
    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder app)
    {
        app.MapPost(SignInPath, SignInAsync)
            .AllowAnonymous()
            .RequireRateLimiting(RateLimitPolicy)
            .WithMetadata(new RequestSizeLimitAttribute(SecurityLimits.MaxSignInBodyBytes));
        app.MapPost(SignOutPath, async ([FromForm] string? returnUrl, SignInManager<IdentityUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return Results.Redirect(LoginPagePath);
        });
        return app;
    }

    // The form is read here rather than bound: a bound form would make the route match form posts only, and any other
    // post (JSON) would fall through to "no such page" instead of a clear 415. The token is checked explicitly for the
    // same reason.
    private static async Task<IResult> SignInAsync(HttpContext http, IAntiforgery antiforgery, SignInManager<IdentityUser> signIn,
        IEngineEventSink events, TimeProvider time, IOptions<SecurityOptions> security)
    {
        if (!http.Request.HasFormContentType)
            return Results.Text("Sign in with the form of /login (application/x-www-form-urlencoded).", statusCode: StatusCodes.Status415UnsupportedMediaType);
        IFormCollection fields;
        try
        {
            await antiforgery.ValidateRequestAsync(http);
            fields = await http.Request.ReadFormAsync(http.RequestAborted);
        }
        catch (AntiforgeryValidationException)
        {
            return Results.Text("The form's anti-forgery token is missing or invalid: reload /login and sign in again.", statusCode: 400);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
        {
            return Results.Text($"The sign-in form could not be read: {e.Message}", statusCode: 400);
        }
        var form = new SignInForm { UserName = fields["UserName"], Password = fields["Password"], ReturnUrl = fields["ReturnUrl"] };
        string userName = form.UserName?.Trim() ?? "";
        string password = form.Password ?? "";
        if (userName.Length > SecurityLimits.MaxUserNameLength)
            return Results.Text($"The user name is longer than {SecurityLimits.MaxUserNameLength} characters.", statusCode: 400);
        if (password.Length > SecurityLimits.MaxPasswordLength)
            return Results.Text($"The password is longer than {SecurityLimits.MaxPasswordLength} characters.", statusCode: 400);
        string returnUrl = LocalOrRoot(form.ReturnUrl);

        var result = userName.Length == 0 || password.Length == 0
            ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await signIn.PasswordSignInAsync(userName, password, isPersistent: false, lockoutOnFailure: true);
        string client = http.Connection.RemoteIpAddress?.ToString() ?? "unknown address";
        if (result.Succeeded)
        {
            events.Publish(new EngineEvent(time.GetUtcNow(), DashboardEvents.DashboardNodeId, SecurityEvents.SignedInKind,
                $"{userName} signed in from {client}."));
            return Results.Redirect(returnUrl);
        }

        string reason = result.IsLockedOut ? "locked" : "invalid";
        // The name as typed (it may be no user at all), cut short; never the password.
        string shownName = userName.Length <= 64 ? userName : userName[..64];
        events.Publish(new EngineEvent(time.GetUtcNow(), DashboardEvents.DashboardNodeId, SecurityEvents.SignInFailedKind,
            result.IsLockedOut
                ? $"Sign-in as '{shownName}' from {client} refused: the account is locked out after {security.Value.MaxFailedSignIns} wrong passwords."
                : $"Sign-in as '{shownName}' from {client} failed: unknown user or wrong password."));
        return Results.Redirect($"{LoginPagePath}?error={reason}&returnUrl={Uri.EscapeDataString(returnUrl)}");
    }

    /// <summary><paramref name="url"/> when it is an address on this site ("/nodes"), else "/": no open redirect to another site.</summary>
    public static string LocalOrRoot(string? url) =>
        url is { Length: > 0 and <= 2048 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) ? url : "/";
}
