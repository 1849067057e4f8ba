using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace MultiOrg.Tests.Browser;

/// <summary>What a first visit downloads: every stylesheet and script comes compressed when the browser accepts it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AssetJourneys(BrowserFixture fixture)
{
    [Fact]
    public async Task Every_stylesheet_and_script_of_a_first_visit_to_the_dashboard_comes_compressed()
    {
        var page = await fixture.NewPageAsync();
        var assets = new ConcurrentQueue<IResponse>();
        page.Response += (_, response) =>
        {
            if (response.Request.ResourceType is "stylesheet" or "script")
            {
                assets.Enqueue(response);
            }
        };

        await page.SignInAsync("olivia.owner@demo.multiorg.test");

        var uncompressed = new List<string>();
        foreach (var response in assets.DistinctBy(r => r.Url))
        {
            var headers = await response.AllHeadersAsync();
            var encoding = headers.GetValueOrDefault("content-encoding");
            if (encoding is not ("br" or "gzip"))
            {
                uncompressed.Add($"{new Uri(response.Url).AbsolutePath} ({encoding ?? "no Content-Encoding"})");
            }
        }

        assets.Select(r => new Uri(r.Url).AbsolutePath).Should().Contain(
            path => path.Contains("MudBlazor.min.", StringComparison.Ordinal) && path.EndsWith(".css", StringComparison.Ordinal),
            "the page loads MudBlazor's stylesheet, the largest file it asks for");
        uncompressed.Should().BeEmpty("every stylesheet and script is served with br or gzip to a browser that accepts them");
    }
}
