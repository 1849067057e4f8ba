using System.Net;
using System.Net.Http.Json;
using MultiOrg.Tests.Support;

namespace MultiOrg.Tests.Api;

public sealed class AccountApiTests(ApiWorld world) : IClassFixture<ApiWorld>
{
    [Fact]
    public async Task Sign_in_locks_out_after_five_failures_even_with_the_right_password_next()
    {
        var user = await world.Factory.RegisterAsync("lockme");
        using var anonymous = world.Factory.CreateClient();

        for (var attempt = 0; attempt < 5; attempt++)
        {
            var wrong = await anonymous.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = "Wrong!Passw0rd" });
            wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        var right = await anonymous.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = ApiFactory.Password });

        right.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await right.JsonAsync()).GetProperty("detail").GetString().Should().Be("LockedOut");
    }

    [Fact]
    public async Task Register_refuses_a_weak_password_with_400()
    {
        using var anonymous = world.Factory.CreateClient();

        var response = await anonymous.PostAsJsonAsync("/api/auth/register", new { email = "weak@example.test", password = "123" });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_sign_in_page_is_served()
    {
        using var anonymous = world.Factory.CreateClient();

        var page = await anonymous.GetStringAsync("/Account/Login");

        page.Should().Contain("Log in");
    }
}
