using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MultiOrg.Tests.Browser;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Api;

/// <summary>
/// The OpenAPI document as tools take it: every operation named, summarised and with its ProblemDetails answers, the
/// security each group accepts, Spectral's OpenAPI and OWASP rules, and the Kiota client committed under Api/Client.
/// </summary>
public sealed partial class OpenApiDocumentTests(OpenApiDocumentTests.Document live) : IClassFixture<OpenApiDocumentTests.Document>
{
    private static readonly string[] Methods = ["get", "put", "post", "patch", "delete"];

    [GeneratedRegex(@"^  (\S+): warn\s*$", RegexOptions.Multiline)]
    private static partial Regex AcceptedWarning();

    [Fact]
    public async Task Every_operation_has_a_unique_operation_id_a_summary_and_a_problem_answer_for_each_refusal()
    {
        var document = await DocumentAsync();

        var operations = Operations(document).ToList();
        operations.Should().HaveCountGreaterThan(100);
        operations.Select(o => o.Operation.GetProperty("operationId").GetString()).Should().OnlyHaveUniqueItems();
        foreach (var (method, path, operation) in operations)
        {
            operation.GetProperty("operationId").GetString().Should().MatchRegex("^[a-z][A-Za-z0-9]+$", $"{method} {path}");
            operation.TryGetProperty("summary", out var summary).Should().BeTrue($"{method} {path} has a summary");
            summary.GetString().Should().NotBeNullOrWhiteSpace();
            ProblemSchema(operation, "500").Should().Be("#/components/schemas/ProblemDetails", $"{method} {path} can fail on the server");
            if (path.StartsWith("/api/organizations/{orgId}", StringComparison.Ordinal))
            {
                ProblemSchema(operation, "401").Should().Be("#/components/schemas/ProblemDetails", $"{method} {path} needs a credential");
                ProblemSchema(operation, "403").Should().Be("#/components/schemas/ProblemDetails", $"{method} {path} refuses non-members");
                ProblemSchema(operation, "429").Should().NotBeNull($"{method} {path} takes API keys, which are rate-limited");
            }

            if (method != "get")
            {
                ProblemSchema(operation, "400").Should().Be("#/components/schemas/HttpValidationProblemDetails", $"{method} {path} validates what it changes");
            }
        }

        var revoke = document.GetProperty("paths").GetProperty("/api/organizations/{orgId}/api-keys/{keyId}").GetProperty("delete");
        ProblemSchema(revoke, "404").Should().NotBeNull("an item route answers 404 for an unknown id");
        ProblemSchema(revoke, "409").Should().NotBeNull("a change can conflict");
        revoke.GetProperty("responses").GetProperty("429").GetProperty("headers").TryGetProperty("Retry-After", out _).Should().BeTrue();
        var login = document.GetProperty("paths").GetProperty("/api/auth/login").GetProperty("post");
        ProblemSchema(login, "429").Should().NotBeNull("sign-in attempts are limited per address");
        ProblemSchema(login, "401").Should().NotBeNull("a wrong password is a 401");
    }

    [Fact]
    public async Task Organization_routes_accept_a_bearer_token_or_the_api_key_and_the_others_only_a_bearer_token()
    {
        var document = await DocumentAsync();

        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        schemes.GetProperty("Bearer").GetProperty("scheme").GetString().Should().Be("bearer");
        schemes.GetProperty("ApiKey").GetProperty("in").GetString().Should().Be("header");
        schemes.GetProperty("ApiKey").GetProperty("name").GetString().Should().Be("X-Api-Key");
        foreach (var (method, path, operation) in Operations(document))
        {
            var accepted = operation.TryGetProperty("security", out var security)
                ? security.EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name)).ToList()
                : [];
            var expected = path switch
            {
                _ when path.StartsWith("/api/organizations/{orgId}", StringComparison.Ordinal) => new[] { "Bearer", "ApiKey" },
                "/api/auth/register" or "/api/auth/login" or "/api/auth/refresh" or "/api/auth/confirmEmail" or "/api/auth/resendConfirmationEmail"
                    or "/api/auth/forgotPassword" or "/api/auth/resetPassword" => [],
                _ => ["Bearer"],
            };
            accepted.Should().Equal(expected, $"{method} {path}");
        }
    }

    [Fact]
    public async Task Spectral_finds_no_error_and_only_the_warnings_its_ruleset_accepts_with_a_reason()
    {
        var root = AppServer.RepositoryRoot();
        var tools = Path.Combine(root, "tools", "openapi");
        var spectral = Path.Combine(tools, "node_modules", ".bin", "spectral");
        File.Exists(spectral).Should().BeTrue("test.sh installs Spectral with `npm ci --prefix tools/openapi`");
        var work = Directory.CreateTempSubdirectory("multiorg-openapi-");
        try
        {
            var documentPath = Path.Combine(work.FullName, "v1.json");
            await File.WriteAllTextAsync(documentPath, (await DocumentAsync()).GetRawText());
            var resultPath = Path.Combine(work.FullName, "lint.json");

            var run = await RunAsync(spectral, tools, "lint", documentPath, "--ruleset", ".spectral.yaml", "--format", "json", "--output", resultPath, "--quiet");

            File.Exists(resultPath).Should().BeTrue($"Spectral wrote its findings ({run})");
            var findings = JsonDocument.Parse(await File.ReadAllTextAsync(resultPath)).RootElement.EnumerateArray()
                .Select(f => (Code: f.GetProperty("code").GetString()!, Severity: f.GetProperty("severity").GetInt32(),
                    Where: string.Join('/', f.GetProperty("path").EnumerateArray().Select(p => p.ToString())), Message: f.GetProperty("message").GetString()))
                .ToList();
            var accepted = AcceptedWarning().Matches(await File.ReadAllTextAsync(Path.Combine(tools, ".spectral.yaml"))).Select(m => m.Groups[1].Value).ToHashSet();
            accepted.Should().NotBeEmpty();

            // Spectral's severities: 0 error, 1 warning, 2 information, 3 hint.
            findings.Where(f => f.Severity == 0).Should().BeEmpty("the document has no lint errors");
            findings.Where(f => f.Severity == 1 && !accepted.Contains(f.Code)).Should().BeEmpty(
                "every warning that remains is accepted in tools/openapi/.spectral.yaml with its reason");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_committed_client_is_what_kiota_generates_from_the_live_document()
    {
        var root = AppServer.RepositoryRoot();
        var committed = Path.Combine(root, "MultiOrg.Tests", "Api", "Client");
        var work = Directory.CreateTempSubdirectory("multiorg-kiota-");
        try
        {
            var documentPath = Path.Combine(work.FullName, "v1.json");
            await File.WriteAllTextAsync(documentPath, (await DocumentAsync()).GetRawText());
            var output = Path.Combine(work.FullName, "Client");

            var run = await RunAsync("dotnet", root, "kiota", "generate", "--language", "CSharp", "--openapi", documentPath, "--output", output,
                "--namespace-name", "MultiOrg.Tests.Api.Client", "--class-name", "MultiOrgClient", "--exclude-backward-compatible", "--clean-output",
                "--log-level", "Error");
            File.Delete(Path.Combine(output, "kiota-lock.json"));

            var generated = Files(output);
            generated.Should().NotBeEmpty($"Kiota generated the client ({run})");
            if (Environment.GetEnvironmentVariable("MULTIORG_UPDATE_API_CLIENT") == "1")
            {
                if (Directory.Exists(committed))
                {
                    Directory.Delete(committed, recursive: true);
                }

                CopyDirectory(output, committed);
            }

            var expected = Files(committed);
            generated.Keys.Should().BeEquivalentTo(expected.Keys,
                "MultiOrg.Tests/Api/Client is generated from the document: rerun this test with MULTIORG_UPDATE_API_CLIENT=1 after an API change");
            foreach (var (file, text) in generated)
            {
                text.Should().Be(expected[file], $"{file} is as Kiota generates it (MULTIORG_UPDATE_API_CLIENT=1 rewrites the client)");
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private Task<JsonElement> DocumentAsync() => Task.FromResult(live.Json);

    /// <summary>The document, fetched once for the class: one app start instead of one per test.</summary>
    public sealed class Document : IAsyncLifetime
    {
        public JsonElement Json { get; private set; }

        public async Task InitializeAsync()
        {
            using var factory = new ApiFactory();
            using var client = factory.CreateClient();
            Json = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        }

        public Task DisposeAsync() => Task.CompletedTask;
    }

    private static IEnumerable<(string Method, string Path, JsonElement Operation)> Operations(JsonElement document) =>
        from path in document.GetProperty("paths").EnumerateObject()
        from operation in path.Value.EnumerateObject()
        where Methods.Contains(operation.Name)
        select (operation.Name, path.Name, operation.Value);

    private static string? ProblemSchema(JsonElement operation, string status) =>
        operation.GetProperty("responses").TryGetProperty(status, out var response)
        && response.TryGetProperty("content", out var content)
        && content.TryGetProperty("application/problem+json", out var problem)
            ? problem.GetProperty("schema").GetProperty("$ref").GetString()
            : null;

    private static Dictionary<string, string> Files(string directory) =>
        Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(directory, f).Replace('\\', '/'), f => File.ReadAllText(f).ReplaceLineEndings("\n"));

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*.cs", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>Runs a tool to its end (at most two minutes) and returns what it printed, for the assertion messages.</summary>
    private static async Task<string> RunAsync(string program, string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return $"exit {process.ExitCode}: {await stdout}{await stderr}";
    }
}
