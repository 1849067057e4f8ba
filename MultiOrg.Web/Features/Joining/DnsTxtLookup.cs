using System.Globalization;
using DnsClient;
using MultiOrg.Domain.Joining;
using MultiOrg.Web.Outbound;

namespace MultiOrg.Web.Features.Joining;

/// <summary>
/// Domain verification's TXT lookups with DnsClient: the name servers of <c>Dns:NameServers</c> when set (as for outbound
/// requests), else the system's. No cache, so "Check now" sees a record as soon as the name servers do.
/// </summary>
public sealed class DnsTxtLookup(ILookupClient lookup) : IDnsTxtLookup
{
    public static IServiceCollection AddDomainVerification(IServiceCollection services, IConfiguration configuration)
    {
        var nameServers = NameServerResolver.ReadSetting(configuration);
        var client = nameServers.Count > 0
            ? NameServerResolver.CreateLookupClient(nameServers)
            : new LookupClient(new LookupClientOptions { UseCache = false, Timeout = TimeSpan.FromSeconds(5), Retries = 1 });
        services.AddSingleton<IDnsTxtLookup>(new DnsTxtLookup(client));
        services.AddHostedService<DomainRecheckJob>();
        return services;
    }

    public async Task<TxtAnswer> TxtRecordsAsync(string domain, CancellationToken ct = default)
    {
        IDnsQueryResponse response;
        try
        {
            response = await lookup.QueryAsync(domain, QueryType.TXT, QueryClass.IN, ct);
        }
        catch (DnsResponseException e)
        {
            return TxtAnswer.Failed(e.Code == DnsResponseCode.ConnectionTimeout ? "no answer in time" : e.DnsError);
        }

        // A domain that does not exist has no record, as surely as one that answers without it; any other error says nothing.
        if (response.HasError && response.Header.ResponseCode != DnsHeaderResponseCode.NotExistentDomain)
        {
            return TxtAnswer.Failed(response.ErrorMessage);
        }

        // A record longer than 255 characters comes as several strings, which make one text together (RFC 7208, 3.3).
        return new TxtAnswer(true, [.. response.Answers.TxtRecords().Select(r => string.Concat(r.Text))]);
    }

    internal static string Describe(DomainRecheckRun run) =>
        string.Create(CultureInfo.InvariantCulture, $"{run.Checked} checked, {run.Lapsed} lapsed, {run.Failed} without an answer");
}
