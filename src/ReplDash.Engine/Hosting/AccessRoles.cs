using System.Security.Claims;

namespace ReplDash.Engine.Hosting;

/// <summary>
/// The two roles of the dashboard, the REST API and the hub (docs/SECURITY.md): a Viewer sees everything and changes
/// nothing; an Operator also acts (resyncs, checks, repairs, settings, faults, users and keys). Operator actions
/// (<see cref="OperatorActions"/>) check them, whatever the caller's UI showed.
/// </summary>
public static class AccessRoles
{
    /// <summary>Sees everything, changes nothing.</summary>
    public const string Viewer = "Viewer";

    /// <summary>Runs checks, repairs and resyncs, changes settings, uses fault switches, manages users and keys.</summary>
    public const string Operator = "Operator";

    /// <summary>Both roles, least first.</summary>
    public static readonly IReadOnlyList<string> All = [Viewer, Operator];

    /// <summary>Authentication type of <see cref="SystemActor"/> principals.</summary>
    public const string SystemAuthenticationType = "ReplDash.System";

    /// <summary>The canonical spelling of <paramref name="role"/> (case-insensitive), or null when it is neither role.</summary>
    public static string? Normalize(string? role) =>
        All.FirstOrDefault(r => string.Equals(r, role?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// An Operator principal for actions the process takes by itself (a scheduled check) and for tests of the
    /// engine; <paramref name="name"/> is what events record as the actor.
    /// </summary>
    public static ClaimsPrincipal SystemActor(string name) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, Operator)], SystemAuthenticationType));

    /// <summary>True when <paramref name="user"/> is signed in and holds the Operator role.</summary>
    public static bool IsOperator(ClaimsPrincipal? user) =>
        user?.Identity?.IsAuthenticated == true && user.IsInRole(Operator);

    /// <summary>How events name <paramref name="user"/>: its name, or "anonymous".</summary>
    public static string Describe(ClaimsPrincipal? user) =>
        user?.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : "anonymous";
}
