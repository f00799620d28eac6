using ReplDash.Engine.Hosting;

namespace ReplDash.Web.Api;

/// <summary>A fault to arm: <c>{ "node": "s1", "point": "SlowApply", "count": 1, "delayMs": 3000 }</c>.</summary>
public sealed record FaultRequest(string Node, string Point, int Count = 1, int DelayMs = 0);

/// <summary>REST endpoints that change the engine: resync a slave, arm or clear test faults.</summary>
public static class OperatorActionEndpoints
{
    public static IEndpointRouteBuilder MapOperatorActions(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/nodes/{id}/resync", (string id, OperatorActions actions, HttpContext http) =>
            Run(() => actions.RequestResync(id, http.User, "api"), $"full resync of {id} requested"));
        app.MapPost("/api/faults", (FaultRequest request, OperatorActions actions, HttpContext http) =>
            string.IsNullOrWhiteSpace(request.Node) || string.IsNullOrWhiteSpace(request.Point)
                ? Results.Json(new { error = "\"node\" and \"point\" are required, e.g. {\"node\": \"s1\", \"point\": \"SlowApply\"}" }, statusCode: 400)
                : Run(() => actions.ArmFault(request.Node, request.Point, request.Count, request.DelayMs, http.User), $"{request.Point} armed on {request.Node}"));
        app.MapDelete("/api/faults", (OperatorActions actions, HttpContext http) => Run(() => actions.ClearFaults(http.User), "faults cleared"));
        app.MapPut("/api/nodes/{id}/semisync", (string id, Dictionary<string, string> settings, OperatorActions actions, HttpContext http) =>
            Run(() => actions.ConfigureSemiSync(id, settings, http.User, $"REST client {http.Connection.RemoteIpAddress}"), $"semi-sync settings of {id} changed"));
        return app;
    }

    private static IResult Run(Action action, string done)
    {
        try
        {
            action();
            return Results.Accepted(value: new { message = done });
        }
        catch (OperatorActionException e)
        {
            return Results.Json(new { error = e.Message }, statusCode: e.Status);
        }
    }
}
