namespace MultiOrg.Domain.Joining;

/// <summary>
/// What the name servers said about a domain's TXT records. <see cref="Answered"/> is false when they could not say
/// (timeout, server failure): then nothing may be concluded, and no claim lapses.
/// </summary>
public sealed record TxtAnswer(bool Answered, IReadOnlyList<string> Records, string? Problem = null)
{
    public static TxtAnswer Failed(string problem) => new(false, [], problem);
}

/// <summary>Reads a domain's TXT records from DNS (DnsClient in the app, <c>Dns:NameServers</c> when set).</summary>
public interface IDnsTxtLookup
{
    Task<TxtAnswer> TxtRecordsAsync(string domain, CancellationToken ct = default);
}
