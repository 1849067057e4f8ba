using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace MultiOrg.Web.Email;

/// <summary>Absolute links for emails: the configured public address, else the address the caller reached the app at.</summary>
public sealed class AppLinks(IOptions<EmailOptions> options, IHttpContextAccessor http, NavigationManager navigation)
{
    public string BaseUri
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl))
            {
                return options.Value.PublicBaseUrl.TrimEnd('/') + "/";
            }

            // A request (API or static page) knows its own address; an interactive circuit has no HttpContext but its navigation does.
            if (http.HttpContext is { } context)
            {
                return $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}/";
            }

            return navigation.BaseUri;
        }
    }

    public string Invitation(string token) => $"{BaseUri}Account/Invitation?token={Uri.EscapeDataString(token)}";
}
