using Bunit;
using MudBlazor.Services;

namespace MultiOrg.Tests.Components;

/// <summary>
/// A bUnit context with MudBlazor's services. MudBlazor's services only dispose asynchronously, so the context is
/// held and disposed through <see cref="IAsyncLifetime"/> rather than inherited (xunit would dispose it synchronously).
/// </summary>
public abstract class ComponentTestBase : IAsyncLifetime
{
    protected ComponentTestBase()
    {
        Context.Services.AddMudServices();
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    protected BunitContext Context { get; } = new();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync() => await Context.DisposeAsync();
}
