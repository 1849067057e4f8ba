using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MultiOrg.Domain;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Data;

/// <summary>The database for the domain services: one provider (singleton), and per scope the factory that hands each context the scope's tenant.</summary>
public static class DataSetup
{
    public static IServiceCollection AddMultiOrgData(this IServiceCollection services, Func<IServiceProvider, MultiOrgDbProvider> provider)
    {
        services.AddSingleton<MultiOrgDbProvider>(provider);
        services.TryAddScoped<TenantContext>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<IMultiOrgDbFactory, MultiOrgDbFactory>();

        // Identity's stores take a scoped context; domain services use the factory instead.
        services.AddScoped(sp => sp.GetRequiredService<MultiOrgDbProvider>().Create(sp.GetRequiredService<TenantContext>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
