using System.ComponentModel.DataAnnotations;
using MultiOrg.Domain.Organizations;

namespace MultiOrg.Web.Features.Organizations;

/// <summary>The form model for an organization name; the service applies the same rule again.</summary>
public sealed class NameModel
{
    [Required(ErrorMessage = "Name is required.")]
    [StringLength(Organization.NameMaxLength, ErrorMessage = "Name must be at most 200 characters.")]
    [RegularExpression(@"^(?!\s*$).+", ErrorMessage = "Name is required.")]
    public string Name { get; set; } = "";
}
