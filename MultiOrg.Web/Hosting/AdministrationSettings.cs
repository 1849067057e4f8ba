using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace MultiOrg.Web.Hosting;

/// <summary>The <c>Administration</c> section: the people granted the global roles at every start.</summary>
public sealed class AdministrationSettings : IValidatableObject
{
    public const string Section = "Administration";

    [Description("emails of the support staff (the global Support role: read-only support access, impersonation with a reason), granted at every start")]
    public List<string> SupportStaff { get; set; } = [];

    [Description("emails of the system administrators (designate partner organizations, the global settings), granted at every start")]
    public List<string> SystemAdmins { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var email = new EmailAddressAttribute();
        foreach (var (name, list) in new[] { (nameof(SupportStaff), SupportStaff), (nameof(SystemAdmins), SystemAdmins) })
        {
            foreach (var bad in list.Where(e => string.IsNullOrWhiteSpace(e) || !email.IsValid(e.Trim())))
            {
                yield return new ValidationResult($"must list email addresses such as admin@example.com; '{bad}' is not one", [name]);
            }
        }
    }
}
