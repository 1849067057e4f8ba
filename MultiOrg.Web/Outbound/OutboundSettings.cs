using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Net;
using MultiOrg.Web.Hosting;

namespace MultiOrg.Web.Outbound;

/// <summary>The <c>OutboundRequests</c> section: the private networks the server may reach at an address an organization supplies.</summary>
public sealed class OutboundRequestsSettings : IValidatableObject, ISingleValueLists
{
    public const string Section = "OutboundRequests";

    [Description("CIDR ranges (`10.20.0.0/16`, `fd00::/8`) or single addresses of private networks the server may reach at an address an organization supplies (its identity provider), over https or plain http; a list or one value separated by commas; none: public addresses over https only")]
    public List<string> AllowPrivateNetworks { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var bad in AllowPrivateNetworks.Where(e => !System.Net.IPNetwork.TryParse(e, out _) && !IPAddress.TryParse(e, out _)))
        {
            yield return new ValidationResult($"must list IP ranges in CIDR notation such as 10.20.0.0/16 or fd00::/8; '{bad}' is not one", [nameof(AllowPrivateNetworks)]);
        }
    }

    void ISingleValueLists.AddSingleValues(IConfiguration section) =>
        AllowPrivateNetworks = Settings.WithSingleValue(AllowPrivateNetworks, section[nameof(AllowPrivateNetworks)]);
}

/// <summary>The <c>Dns</c> section: the name servers outbound requests resolve host names with.</summary>
public sealed class DnsSettings : IValidatableObject, ISingleValueLists
{
    public const string Section = "Dns";

    [Description("name servers (`10.0.0.2:53`, `[fd00::2]:53`; port 53 when left out) that resolve the host names of outbound requests, a list or one value separated by commas; none: the operating system's resolver")]
    public List<string> NameServers { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var bad in NameServers.Where(e => !IPEndPoint.TryParse(e, out _)))
        {
            yield return new ValidationResult($"must list IP addresses with an optional port such as 10.0.0.2:53 or [fd00::2]:53; '{bad}' is not one", [nameof(NameServers)]);
        }
    }

    void ISingleValueLists.AddSingleValues(IConfiguration section) =>
        NameServers = Settings.WithSingleValue(NameServers, section[nameof(NameServers)]);
}
