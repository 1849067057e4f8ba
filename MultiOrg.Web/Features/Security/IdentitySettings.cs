using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;

namespace MultiOrg.Web.Features.Security;

/// <summary>The <c>Identity</c> section: what the operator sets of ASP.NET Core Identity's sign-in rules.</summary>
public sealed class IdentitySettings
{
    public const string Section = "Identity";

    [Description("require a confirmed email before sign-in (pages show the confirmation flow)")]
    public bool RequireConfirmedAccount { get; set; }

    public LockoutSettings Lockout { get; set; } = new();

    public void ApplyTo(IdentityOptions options)
    {
        options.SignIn.RequireConfirmedAccount = RequireConfirmedAccount;
        options.Lockout.MaxFailedAccessAttempts = Lockout.MaxFailedAccessAttempts;
        options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(Lockout.Minutes);
    }
}

public sealed class LockoutSettings
{
    [Description("failed sign-ins in a row that lock an account, for the pages and the API alike")]
    [Range(1, 100)]
    public int MaxFailedAccessAttempts { get; set; } = 5;

    [Description("minutes a locked account stays locked")]
    [Range(1, 525_600)]
    public int Minutes { get; set; } = 15;
}
