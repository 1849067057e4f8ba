using MudBlazor;
using MultiOrg.Domain.Errors;

namespace MultiOrg.Web.Shell;

/// <summary>
/// How a component runs a domain call that may be refused: the service decides, the page only shows its answer. A
/// refusal (<see cref="DomainException"/>) becomes its message, in a snackbar or, where the form shows it, in place;
/// anything else is a defect and is left to the circuit.
/// </summary>
public static class DomainAction
{
    /// <summary>
    /// Runs <paramref name="action"/>; on success shows <paramref name="success"/> (when given) with
    /// <paramref name="severity"/>. A refusal that names a field goes to <paramref name="fieldRefused"/> when the form
    /// shows field errors; every other refusal is an error snackbar. Returns whether the action succeeded.
    /// </summary>
    public static async Task<bool> RunAsync(
        this ISnackbar snackbar,
        Func<Task> action,
        string? success = null,
        Action<DomainException>? fieldRefused = null,
        Severity severity = Severity.Success)
    {
        ArgumentNullException.ThrowIfNull(snackbar);
        return await RunAsync(action, error =>
        {
            if (error.Field is not null && fieldRefused is not null)
            {
                fieldRefused(error);
            }
            else
            {
                snackbar.Add(error.Message, Severity.Error);
            }
        }) && Shown(snackbar, success, severity);
    }

    /// <summary>
    /// Runs <paramref name="action"/> for a dialog or form that shows every refusal in place
    /// (<paramref name="refused"/>) rather than in a snackbar. Returns whether the action succeeded.
    /// </summary>
    public static async Task<bool> RunAsync(Func<Task> action, Action<DomainException> refused)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(refused);
        try
        {
            await action();
            return true;
        }
        catch (DomainException error)
        {
            refused(error);
            return false;
        }
    }

    private static bool Shown(ISnackbar snackbar, string? message, Severity severity)
    {
        if (message is not null)
        {
            snackbar.Add(message, severity);
        }

        return true;
    }
}
