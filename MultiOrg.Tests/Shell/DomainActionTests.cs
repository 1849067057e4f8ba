using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MultiOrg.Domain.Errors;
using MultiOrg.Tests.Harness;
using MultiOrg.Web.Shell;

namespace MultiOrg.Tests.Shell;

/// <summary>
/// <see cref="DomainAction"/>, which every component uses around a domain call: what the person is shown on success and
/// on a refusal, and where a refusal naming a field goes.
/// </summary>
[Trait(TestDatabase.Trait, TestDatabase.Independent)]
public sealed class DomainActionTests : ComponentTestBase
{
    private ISnackbar Snackbar => Context.Services.GetRequiredService<ISnackbar>();

    private IEnumerable<(string Message, Severity Severity)> Shown => Snackbar.ShownSnackbars.Select(s => (s.Message ?? "", s.Severity));

    [Fact]
    public async Task A_done_action_shows_its_success_message_and_reports_success()
    {
        var ran = false;

        var done = await Snackbar.RunAsync(() => Task.FromResult(ran = true), "Saved.");

        done.Should().BeTrue();
        ran.Should().BeTrue();
        Shown.Should().Equal(("Saved.", Severity.Success));
    }

    [Fact]
    public async Task A_success_message_may_have_its_own_severity_and_none_shows_nothing()
    {
        (await Snackbar.RunAsync(() => Task.CompletedTask, "Declined.", severity: Severity.Info)).Should().BeTrue();
        (await Snackbar.RunAsync(() => Task.CompletedTask)).Should().BeTrue();

        Shown.Should().Equal(("Declined.", Severity.Info));
    }

    [Fact]
    public async Task A_refusal_becomes_an_error_message_instead_of_the_success_message()
    {
        var done = await Snackbar.RunAsync(() => throw new DomainException(DomainErrorKind.Forbidden, "Only an owner can do that."), "Saved.");

        done.Should().BeFalse();
        Shown.Should().Equal(("Only an owner can do that.", Severity.Error));
    }

    [Fact]
    public async Task A_refusal_naming_a_field_goes_to_the_form_when_it_shows_field_errors()
    {
        DomainException? onForm = null;

        var done = await Snackbar.RunAsync(() => throw DomainException.Invalid("name", "Name is required."), "Saved.", fieldRefused: e => onForm = e);

        done.Should().BeFalse();
        onForm!.Field.Should().Be("name");
        onForm.Message.Should().Be("Name is required.");
        Shown.Should().BeEmpty("the field shows it");
    }

    [Fact]
    public async Task A_refusal_naming_no_field_is_a_snackbar_even_on_a_form()
    {
        DomainException? onForm = null;

        var done = await Snackbar.RunAsync(() => throw new DomainException(DomainErrorKind.Conflict, "Changed meanwhile."), fieldRefused: e => onForm = e);

        done.Should().BeFalse();
        onForm.Should().BeNull();
        Shown.Should().Equal(("Changed meanwhile.", Severity.Error));
    }

    [Fact]
    public async Task A_refusal_shown_in_place_is_given_whole_and_nothing_else_is_caught()
    {
        DomainException? inPlace = null;

        var done = await DomainAction.RunAsync(() => throw new DomainException(DomainErrorKind.Conflict, "Already in the team."), e => inPlace = e);

        done.Should().BeFalse();
        inPlace!.Message.Should().Be("Already in the team.");
        await FluentActions.Awaiting(() => DomainAction.RunAsync(() => throw new InvalidOperationException("a defect"), _ => { }))
            .Should().ThrowAsync<InvalidOperationException>("a defect is not a refusal");
        Shown.Should().BeEmpty();
    }
}
