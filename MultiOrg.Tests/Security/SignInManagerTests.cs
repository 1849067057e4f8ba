using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MultiOrg.Domain.Users;
using MultiOrg.Tests.Harness;
using MultiOrg.Web.Features.SingleSignOn;

namespace MultiOrg.Tests.Security;

/// <summary>The sign-in manager every door resolves is the one that refuses password sign-in where single sign-on is required.</summary>
public sealed class SignInManagerTests : IDisposable
{
    private readonly ApiFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public void Every_door_resolves_the_sign_in_manager_that_enforces_single_sign_on()
    {
        using var scope = factory.Services.CreateScope();

        // Identity's API endpoints register the plain manager again; the app's must be the one that stays.
        scope.ServiceProvider.GetRequiredService<SignInManager<AppUser>>().Should().BeOfType<SsoSignInManager>();
        scope.ServiceProvider.GetRequiredService<SsoSignInManager>().Should().BeOfType<SsoSignInManager>();
    }
}
