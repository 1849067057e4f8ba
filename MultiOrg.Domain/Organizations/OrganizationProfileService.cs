using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Organizations;

/// <summary>The current organization's profile: everyone in it reads, OWNERs and ADMINs edit.</summary>
public sealed class OrganizationProfileService(IMultiOrgDbFactory dbFactory, TenantContext tenant)
{
    public async Task<OrganizationProfileView> GetAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.ViewOrganization, ct);
        var o = await db.Organizations.AsNoTracking().SingleAsync(o => o.Id == me.OrganizationId, ct);
        return new OrganizationProfileView(o.Id, o.Name, ToProfile(o), me.May(Permission.EditOrganization));
    }

    /// <summary>Checks every field first (the first bad one is named); nothing is written unless all are valid.</summary>
    public async Task<OrganizationProfileView> UpdateAsync(OrganizationProfile? profile, CancellationToken ct = default)
    {
        var clean = Validate(profile ?? throw DomainException.Invalid("profile", "The profile is required."));
        await using (var db = dbFactory.Create())
        {
            var me = await db.RequireAsync(tenant, Permission.EditOrganization, ct);
            var o = await db.Organizations.SingleAsync(o => o.Id == me.OrganizationId, ct);
            o.Description = clean.Description;
            o.Type = clean.Type;
            o.Website = clean.Website;
            (o.ContactName, o.ContactEmail, o.ContactPhone, o.ContactAddress) = (clean.Contact.Name, clean.Contact.Email, clean.Contact.Phone, clean.Contact.Address);
            (o.BillingContactName, o.BillingContactEmail, o.BillingContactPhone, o.BillingContactAddress) =
                (clean.BillingContact.Name, clean.BillingContact.Email, clean.BillingContact.Phone, clean.BillingContact.Address);
            await db.SaveChangesAsync(ct);
        }

        return await GetAsync(ct);
    }

    public static OrganizationProfile ToProfile(Organization o) => new(
        o.Description,
        o.Type,
        o.Website,
        new ContactDetails(o.ContactName, o.ContactEmail, o.ContactPhone, o.ContactAddress),
        new ContactDetails(o.BillingContactName, o.BillingContactEmail, o.BillingContactPhone, o.BillingContactAddress));

    /// <summary>Trims, turns blanks into nulls and refuses the first invalid field by its API name (website, contact.email …).</summary>
    public static OrganizationProfile Validate(OrganizationProfile profile)
    {
        if (profile.Type is { } type && !Enum.IsDefined(type))
        {
            throw DomainException.Invalid("type", "Type must be Company, Educational, ProfessionalServices or Community.");
        }

        return new OrganizationProfile(
            Text(profile.Description, "description", "Description", Organization.DescriptionMaxLength),
            profile.Type,
            Website(profile.Website),
            Contact(profile.Contact ?? new ContactDetails(), "contact", "Contact"),
            Contact(profile.BillingContact ?? new ContactDetails(), "billingContact", "Billing contact"));
    }

    private static string? Website(string? value)
    {
        var text = Text(value, "website", "Website", Organization.ContactFieldMaxLength);
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || uri.HostNameType != UriHostNameType.Dns || !uri.Host.Contains('.', StringComparison.Ordinal))
        {
            throw DomainException.Invalid("website", $"Website “{text}” is not a valid web address; use a full address such as https://acme.example.");
        }

        return uri.ToString();
    }

    private static ContactDetails Contact(ContactDetails contact, string field, string label)
    {
        var email = Text(contact.Email, $"{field}.email", $"{label} email", Organization.ContactFieldMaxLength);
        if (email is not null && !EmailAddresses.IsValid(email))
        {
            throw DomainException.Invalid($"{field}.email", $"{label} email “{email}” is not a valid email address.");
        }

        var phone = Text(contact.Phone, $"{field}.phone", $"{label} phone", 32);
        if (phone is not null && (!phone.All(c => char.IsAsciiDigit(c) || c is ' ' or '+' or '-' or '(' or ')' or '.' or '/')
            || phone.Count(char.IsAsciiDigit) < 5))
        {
            throw DomainException.Invalid($"{field}.phone", $"{label} phone “{phone}” is not a phone number (digits, spaces and + - ( ) only).");
        }

        return new ContactDetails(
            Text(contact.Name, $"{field}.name", $"{label} name", Organization.ContactFieldMaxLength),
            email,
            phone,
            Text(contact.Address, $"{field}.address", $"{label} address", Organization.AddressMaxLength));
    }

    private static string? Text(string? value, string field, string label, int maxLength)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return text.Length <= maxLength ? text : throw DomainException.Invalid(field, $"{label} must be at most {maxLength} characters.");
    }
}
