using System.Text.RegularExpressions;
using MimeKit;

namespace MultiOrg.Tests.Harness;

/// <summary>A mail pickup folder as a developer reads it: the .eml files the app wrote, parsed with MimeKit.</summary>
public sealed partial class Mailbox(string directory) : IDisposable
{
    public Mailbox()
        : this(Path.Combine(Path.GetTempPath(), $"multiorg-mail-{Guid.NewGuid():N}"))
    {
    }

    public string Directory { get; } = directory;

    public IReadOnlyList<MimeMessage> Messages() =>
        System.IO.Directory.Exists(Directory)
            ? [.. System.IO.Directory.EnumerateFiles(Directory, "*.eml").Order(StringComparer.Ordinal).Select(path => MimeMessage.Load(path))]
            : [];

    public IReadOnlyList<MimeMessage> To(string email) =>
        [.. Messages().Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, email, StringComparison.OrdinalIgnoreCase)))];

    /// <summary>The first link whose path contains <paramref name="pathPart"/> in the text part of the newest message to that address that has one.</summary>
    public string LinkTo(string email, string pathPart = "/Account/Invitation") =>
        FindLink(email, pathPart) ?? throw new InvalidOperationException($"No mail to {email} with a link to {pathPart} in {Directory}.");

    private string? FindLink(string email, string pathPart) =>
        To(email).Reverse()
            .Select(message => Links().Matches(message.TextBody ?? "").Select(m => m.Value).FirstOrDefault(link => link.Contains(pathPart, StringComparison.Ordinal)))
            .FirstOrDefault(link => link is not null);

    /// <summary>The token of the invitation link in the newest message to that address.</summary>
    public string InvitationTokenFor(string email) =>
        SuiteLogs.Secret("invitation token", Uri.UnescapeDataString(new Uri(LinkTo(email)).Query.Split("token=")[1].Split('&')[0]));

    /// <summary>Waits for a message with such a link to arrive (the app writes it right after the page's click returns).</summary>
    public async Task<string> WaitForLinkToAsync(string email, string pathPart = "/Account/Invitation")
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (FindLink(email, pathPart) is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        return LinkTo(email, pathPart);
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    [GeneratedRegex(@"https?://[^\s""'<>]+")]
    private static partial Regex Links();
}
