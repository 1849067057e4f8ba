using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Web.Shell;

namespace MultiOrg.Tests.Harness;

/// <summary>
/// A bUnit context with MudBlazor's services. MudBlazor's services only dispose asynchronously, so the context is
/// held and disposed through <see cref="IAsyncLifetime"/> rather than inherited (xunit would dispose it synchronously).
/// </summary>
public abstract class ComponentTestBase : IAsyncLifetime
{
    /// <summary>How long a page may take to load over the real database on a loaded machine.</summary>
    protected static readonly TimeSpan Loaded = TimeSpan.FromSeconds(10);

    protected ComponentTestBase()
    {
        Context.Services.AddMudServices();
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    protected BunitContext Context { get; } = new();

    /// <summary>Where MudBlazor renders menus and selects (set by <see cref="RenderProviders"/>).</summary>
    protected IRenderedComponent<MudPopoverProvider> Popovers { get; private set; } = null!;

    /// <summary>Where MudBlazor renders dialogs and message boxes (set by <see cref="RenderProviders"/>).</summary>
    protected IRenderedComponent<MudDialogProvider> Dialogs { get; private set; } = null!;

    /// <summary>Where MudBlazor renders snackbar messages (set by <see cref="RenderProviders"/>).</summary>
    protected IRenderedComponent<MudSnackbarProvider> Snackbars { get; private set; } = null!;

    /// <summary>The providers the app's layout holds; render them after the services are registered, before the page.</summary>
    protected void RenderProviders()
    {
        Popovers = Context.Render<MudPopoverProvider>();
        Dialogs = Context.Render<MudDialogProvider>();
        Snackbars = Context.Render<MudSnackbarProvider>();
    }

    /// <summary>The services the members page is served with in <paramref name="actor"/>'s circuit.</summary>
    protected void ServeMembersPage(TestWorld world, Actor actor)
    {
        Context.Services.AddSingleton<TenantContext>(actor.Tenant);
        Context.Services.AddSingleton<MemberService>(actor.Members);
        Context.Services.AddSingleton(actor.Sessions);
        Context.Services.AddSingleton(actor.Teams);
        Context.Services.AddSingleton(new UserOrganizations(actor.Organizations));
        var invitations = new InvitationWorld(world, actor);
        Context.Services.AddSingleton(invitations.Invitations);
        Context.Services.AddSingleton(invitations.Joining);
        Context.Services.AddSingleton(TimeProvider.System);
        Context.Services.AddSingleton(new MultiOrg.Web.Features.FeatureSwitches.FeatureState(actor.Features, actor.Tenant));
    }

    /// <summary>Answers the open message box ("Delete …?", "Push …?") with the button that reads <paramref name="answer"/>.</summary>
    protected void AnswerMessageBox(string answer)
    {
        Dialogs.WaitForAssertion(() => Dialogs.FindAll(".mud-dialog button").Select(b => b.TextContent.Trim()).Should().Contain(answer), Loaded);
        Dialogs.FindAll(".mud-dialog button").First(b => b.TextContent.Trim() == answer).Click();
    }

    /// <summary>Text as a person reads it: markup's line breaks and indentation become single spaces.</summary>
    protected static string Squash(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ").Trim();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync() => await Context.DisposeAsync();
}
