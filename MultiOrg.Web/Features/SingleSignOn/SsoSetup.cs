using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MultiOrg.Domain.SingleSignOn;
using MultiOrg.Web.Features.SingleSignOn.Saml;

namespace MultiOrg.Web.Features.SingleSignOn;

public static class SsoSetup
{
    /// <summary>
    /// Single sign-on per organization: the connection test, metadata fetch and secret protection (the settings services
    /// are in <c>AddMultiOrgDomain</c>), and the OpenID Connect handler whose schemes are made per organization at run
    /// time (<see cref="SsoAuthenticationSchemeProvider"/>). Call after <c>AddAuthentication</c>.
    /// </summary>
    public static IServiceCollection AddMultiOrgSingleSignOn(this IServiceCollection services)
    {
        services.AddScoped<SsoConnectionTest>();
        services.AddScoped<SamlMetadataFetcher>();
        services.AddSingleton<ISsoSecretProtector, DataProtectionSsoSecretProtector>();
        services.AddSingleton<SsoClients>();
        services.AddHttpClient();
        services.AddWebEncoders();

        // What AddOpenIdConnect registers, minus a scheme fixed at start.
        services.Replace(ServiceDescriptor.Singleton<IAuthenticationSchemeProvider, SsoAuthenticationSchemeProvider>());
        services.AddSingleton<IConfigureOptions<OpenIdConnectOptions>, SsoOpenIdConnectOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<OpenIdConnectOptions>, OpenIdConnectPostConfigureOptions>());
        services.TryAddTransient<OpenIdConnectHandler>();
        return services;
    }
}
