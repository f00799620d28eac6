using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using ReplDash.Engine.Hosting;
using ReplDash.Web.Security;
using ReplDash.Web.Store;

namespace ReplDash.Web.Extensions;

/// <summary>
/// Who may see and who may act (docs/SECURITY.md): ASP.NET Core Identity users and roles in the dashboard store, the
/// sign-in cookie or an API key on every request, Viewer for everything unless an endpoint says otherwise, sign-in
/// rate limited.
/// </summary>
public static class SecurityServiceExtensions
{
    /// <summary>The default scheme: picks the API key scheme when the request carries a key, the sign-in cookie otherwise.</summary>
    public const string DefaultScheme = "ReplDash";

    /// <summary>Policy names: anyone signed in (Viewer or Operator), and Operators only.</summary>
    public const string ViewerPolicy = "Viewer", OperatorPolicy = "Operator";

    /// <summary>
    /// Adds Identity, authentication (cookie and API key), authorization (a Viewer fallback policy, so that an
    /// endpoint nobody thought about is never public), the sign-in rate limiter, the first-start admin and the
    /// data-protection key ring in the data folder.
    /// Call after <c>AddReplDashDashboard()</c> (the store is migrated first) and before <c>AddReplDashEngine()</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">ReplDash:Security or ReplDash:Admin is invalid; the message lists every problem.</exception>
    public static WebApplicationBuilder AddReplDashSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var securitySection = builder.Configuration.GetSection(SecurityOptions.SectionName);
        var errors = SecurityOptions.ValidateText(builder.Configuration);
        var security = errors.Count == 0 ? securitySection.Get<SecurityOptions>() ?? new SecurityOptions() : new SecurityOptions();
        if (errors.Count == 0)
            errors.AddRange(security.Validate());
        var adminSection = builder.Configuration.GetSection(AdminOptions.SectionName);
        if (errors.Count == 0)
            errors.AddRange((adminSection.Get<AdminOptions>() ?? new AdminOptions()).Validate(security.MinPasswordLength));
        if (errors.Count > 0)
            throw new InvalidOperationException("Invalid configuration:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", errors));
        services.Configure<SecurityOptions>(securitySection);
        services.Configure<AdminOptions>(adminSection);
        services.AddReplDashDataProtection(builder.Configuration, builder.Environment);

        services.AddIdentityCore<IdentityUser>(options =>
            {
                options.Password.RequiredLength = security.MinPasswordLength;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.MaxFailedAccessAttempts = security.MaxFailedSignIns;
                options.Lockout.DefaultLockoutTimeSpan = security.LockoutDuration;
                options.Lockout.AllowedForNewUsers = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<DashboardDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = DefaultScheme;
                options.DefaultChallengeScheme = DefaultScheme;
                options.DefaultForbidScheme = DefaultScheme;
            })
            .AddPolicyScheme(DefaultScheme, "Sign-in cookie or API key", options => options.ForwardDefaultSelector = context =>
                ApiKeyAuthenticationHandler.CarriesKey(context.Request) ? ApiKeyAuthenticationHandler.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(ConfigureCookie);
        services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = SecurityLimits.SessionRevalidationInterval);

        services.AddAuthorizationBuilder()
            .AddPolicy(ViewerPolicy, policy => policy.RequireAuthenticatedUser().RequireRole(AccessRoles.Viewer, AccessRoles.Operator))
            .AddPolicy(OperatorPolicy, policy => policy.RequireAuthenticatedUser().RequireRole(AccessRoles.Operator))
            // Every endpoint without a policy of its own (pages, reads, the hub, and any added later) needs a Viewer.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(AccessRoles.Viewer, AccessRoles.Operator).Build());
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, SessionRevalidatingStateProvider>();

        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(SignInEndpoints.RateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = security.SignInsPerMinute, Window = SecurityLimits.SignInWindow, QueueLimit = 0 }));
        });

        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<UserAdministration>();
        services.AddHostedService<AdminBootstrapper>();
        return builder;
    }

    private static void ConfigureCookie(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = "ReplDash.Auth";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.LoginPath = "/login";
        options.LogoutPath = SignInEndpoints.SignOutPath;
        options.ExpireTimeSpan = SecurityLimits.SessionLifetime;
        options.SlidingExpiration = true;
        // Scripts and SignalR clients get a status, not the sign-in page's HTML.
        options.Events.OnRedirectToLogin = context =>
        {
            if (IsApiOrHub(context.Request))
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            else
                context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        };
        // Signed in without the role: 403, with a line a person can read on a page (a browser shows an empty 403 as an error).
        options.Events.OnRedirectToAccessDenied = context =>
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            if (IsApiOrHub(context.Request))
                return Task.CompletedTask;
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync("403: only an Operator may open this page. Go back to the dashboard: /");
        };
    }

    /// <summary>True for the REST API and the hub, which answer 401 rather than redirect to the sign-in page.</summary>
    public static bool IsApiOrHub(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hubs");
}
