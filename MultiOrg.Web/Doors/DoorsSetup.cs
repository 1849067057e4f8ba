namespace MultiOrg.Web.Doors;

/// <summary>The adapters to the door into an organization (registered with the domain), one of each per circuit or request.</summary>
public static class DoorsSetup
{
    public static IServiceCollection AddOrganizationDoors(this IServiceCollection services)
    {
        services.AddScoped<CircuitDoor>();
        services.AddScoped<AssistantDoor>();
        return services;
    }
}
