namespace MultiOrg.Domain.Joining;

/// <summary>
/// Mail providers where anyone can get an address: a confirmed address there proves nothing about an organization, so
/// none of these can be verified by any method. The one list; add a provider here when one is reported.
/// </summary>
public static class PublicMailDomains
{
    private static readonly HashSet<string> Domains = new(StringComparer.OrdinalIgnoreCase)
    {
        "gmail.com", "googlemail.com", "outlook.com", "outlook.de", "hotmail.com", "hotmail.co.uk", "hotmail.de", "hotmail.fr",
        "live.com", "live.de", "msn.com", "yahoo.com", "yahoo.co.uk", "yahoo.de", "yahoo.fr", "ymail.com", "icloud.com", "me.com",
        "mac.com", "aol.com", "gmx.com", "gmx.de", "gmx.net", "gmx.at", "gmx.ch", "web.de", "t-online.de", "freenet.de",
        "proton.me", "protonmail.com", "pm.me", "tutanota.com", "tuta.io", "mail.com", "mail.ru", "yandex.com", "yandex.ru",
        "zoho.com", "qq.com", "163.com", "126.com", "sina.com", "naver.com", "orange.fr", "free.fr", "laposte.net", "libero.it",
        "fastmail.com", "hey.com", "seznam.cz", "wp.pl", "o2.pl", "interia.pl",
    };

    public static bool Contains(string domain) => Domains.Contains(domain);
}
