using System.Text.Json.Serialization;

namespace MultiOrg.Domain.Clients;

/// <summary>What the onboarding wrote into the client's audit log, read back by the partner dashboard.</summary>
public static class OnboardingRecord
{
    public const string OnboardedAction = "client.onboarded";
    public const string EntityCopiedAction = "client.entity_copied";
    public const string CopyPath = "copy";
    public const string TemplatePath = "template";
}

[JsonConverter(typeof(NamesOnlyEnumConverter<ClientSort>))]
public enum ClientSort
{
    Name,
    Members,
    Accounts,
    TaxCodes,
    PaymentTerms,
    Workflows,
    Onboarding,
    LastActivity,
    Credits,
    CreditsUsedThisMonth,
}

public sealed record PartnerDashboardQuery(string? Search = null, ClientSort Sort = ClientSort.Name, bool Descending = false, int Page = 1, int PageSize = 25);

/// <summary>How a client was onboarded: path (null when the client predates the record), layers done of those asked for, and the layer-3 warning.</summary>
public sealed record OnboardingStatus(string? Path, int LayersDone, int LayersAsked, string? Warning)
{
    public static readonly OnboardingStatus NotRecorded = new(null, 0, 0, null);

    public bool Recorded => LayersAsked > 0;
}

public sealed record ClientOverview(
    Guid Id,
    string Name,
    string? CountryCode,
    int Members,
    int Accounts,
    int TaxCodes,
    int PaymentTerms,
    int Workflows,
    OnboardingStatus Onboarding,
    DateTime? LastActivity,
    long Credits = 0,
    long CreditsUsedThisMonth = 0);

public sealed record PartnerSummary(int Clients, int Members, int ClientsWithWarnings);

/// <summary>One page of the dashboard; the summary counts every client of the partner, whatever the search.</summary>
public sealed record PartnerDashboard(PartnerSummary Summary, IReadOnlyList<ClientOverview> Clients, int TotalCount, int Page, int PageSize);

public sealed record DriftItem(ConfigurationKind Kind, string Key, string Name, DriftStatus Status, string? PartnerValue, string? ClientValue);

public sealed record DriftCounts(int Missing, int AddedLocally, int ChangedLocally, int Same)
{
    public static DriftCounts Of(IEnumerable<DriftItem> items)
    {
        var list = items.ToList();
        return new DriftCounts(
            list.Count(i => i.Status == DriftStatus.Missing),
            list.Count(i => i.Status == DriftStatus.AddedLocally),
            list.Count(i => i.Status == DriftStatus.ChangedLocally),
            list.Count(i => i.Status == DriftStatus.Same));
    }

    public bool InStep => Missing == 0 && AddedLocally == 0 && ChangedLocally == 0;
}

/// <summary>One client's drift; <see cref="Items"/> is filled when one client was asked for.</summary>
public sealed record ClientDrift(Guid ClientId, string ClientName, DriftCounts Counts, IReadOnlyList<DriftItem> Items);

[JsonConverter(typeof(NamesOnlyEnumConverter<PushAction>))]
public enum PushAction
{
    Add,
    Update,
    Identical,
    Conflict,
    Blocked,
}

public sealed record PlannedItem(ConfigurationKind Kind, string Key, string Name, PushAction Action, string? ClientValue, string PartnerValue, string? Reason);

/// <summary>What the partner asks to push: items of its own configuration, the ones to overwrite where a client differs, and the targets (null: every client).</summary>
public sealed record PushRequest(IReadOnlyList<ItemRef> Items, IReadOnlyList<ItemRef> Overwrite, IReadOnlyList<Guid>? ClientIds);

public sealed record ClientPlan(Guid ClientId, string ClientName, IReadOnlyList<PlannedItem> Items)
{
    public int Count(PushAction action) => Items.Count(i => i.Action == action);

    public bool Changes => Items.Any(i => i.Action is PushAction.Add or PushAction.Update);
}

[JsonConverter(typeof(NamesOnlyEnumConverter<PushOutcome>))]
public enum PushOutcome
{
    Changed,
    Unchanged,
    Failed,
}

public sealed record ClientPushResult(Guid ClientId, string ClientName, PushOutcome Outcome, IReadOnlyList<PlannedItem> Items, string? Error);

public sealed record PushProgress(int Done, int Total, ClientPushResult? Latest);

public sealed record PushReport(IReadOnlyList<ClientPushResult> Clients)
{
    public int Count(PushOutcome outcome) => Clients.Count(c => c.Outcome == outcome);
}
