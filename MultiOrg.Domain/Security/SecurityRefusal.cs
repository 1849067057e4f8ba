namespace MultiOrg.Domain.Security;

/// <summary>Why an organization's policies turned a person away; the UI sends them to fix it where they can.</summary>
public enum SecurityRefusal
{
    None,

    /// <summary>The address is outside the organization's IP allow-list.</summary>
    AddressNotAllowed,

    /// <summary>The organization requires two-factor authentication and the person has no authenticator yet.</summary>
    TwoFactorSetup,

    /// <summary>The organization's password rules became stricter after the person last set their password.</summary>
    PasswordChange,

    /// <summary>The organization requires single sign-on and this session has not passed its provider yet (a step-up).</summary>
    SingleSignOnStepUp,
}
