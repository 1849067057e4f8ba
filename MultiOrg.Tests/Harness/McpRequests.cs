using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace MultiOrg.Tests.Harness;

/// <summary>One raw JSON-RPC request to an assistant endpoint, for the answers the SDK's client hides (status codes, sessions).</summary>
public static class McpRequests
{
    public static HttpRequestMessage JsonRpc(Guid organizationId, string method, string? sessionId = null, string? bearer = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/mcp/{organizationId}")
        {
            Content = JsonContent.Create(new
            {
                jsonrpc = "2.0",
                id = 1,
                method,
                @params = method == "initialize"
                    ? new { protocolVersion = "2025-06-18", capabilities = new { }, clientInfo = new { name = "test", version = "1" } }
                    : (object)new { },
            }),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (sessionId is not null)
        {
            request.Headers.Add("Mcp-Session-Id", sessionId);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return request;
    }
}
