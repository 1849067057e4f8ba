using System.Globalization;
using System.Text.Json.Serialization;
using MultiOrg.Domain.Accounting;

namespace MultiOrg.Domain.Clients;

/// <summary>The kinds of configuration a partner compares with and pushes to its clients.</summary>
[JsonConverter(typeof(NamesOnlyEnumConverter<ConfigurationKind>))]
public enum ConfigurationKind
{
    Account,
    TaxCode,
    PaymentTerm,
    Workflow,
}

/// <summary>How a client's item compares with the partner's: "changed locally" means it differs from the partner's current value.</summary>
[JsonConverter(typeof(NamesOnlyEnumConverter<DriftStatus>))]
public enum DriftStatus
{
    Missing,
    AddedLocally,
    ChangedLocally,
    Same,
}

/// <summary>
/// One item of configuration, matched the way client onboarding copies it: accounts by number, tax codes by code,
/// payment terms by code, workflows by name. <see cref="Value"/> is the canonical text of everything compared.
/// </summary>
public sealed record ConfigurationItem(ConfigurationKind Kind, string Key, string Name, string Value)
{
    /// <summary>The partner's own row, what a push writes (null for a client's item).</summary>
    [JsonIgnore]
    public object? Data { get; init; }

    public ItemRef Ref => new(Kind, Key);
}

/// <summary>Names one item across organizations.</summary>
public sealed record ItemRef(ConfigurationKind Kind, string Key);

/// <summary>One organization's items, and (for workflows) the codes of its legal entities.</summary>
public sealed record ConfigurationSet(IReadOnlyList<ConfigurationItem> Items, IReadOnlyList<string> EntityCodes)
{
    public static readonly ConfigurationSet Empty = new([], []);
}

internal sealed record AccountData(string Number, string Name, AccountType Type, string? ParentNumber);

internal sealed record TaxCodeData(string Code, string Name, decimal RatePercent, TaxDirection Direction, string? AuthorityName, string? AuthorityCountry, string? AuthorityRegion);

internal sealed record PaymentTermData(string Code, string Name, int DueDays, decimal DiscountPercent, int DiscountDays);

internal sealed record WorkflowData(string Name, string EntityCode, IReadOnlyList<StepData> Steps);

/// <summary>A step by its sequence; the parent is named by its sequence too, so the tree compares across organizations.</summary>
internal sealed record StepData(int Sequence, string Name, int? ParentSequence, IReadOnlyList<(string Field, string Operator, string Value)> Conditions);

/// <summary>Turns rows into comparable items. The text is culture-invariant, so 7.25 and 7.250 compare equal.</summary>
internal static class ConfigurationItems
{
    private static string Number(decimal value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    public static ConfigurationItem Of(AccountData a) => new(ConfigurationKind.Account, a.Number, a.Name,
        $"{a.Name} · {a.Type}{(a.ParentNumber is null ? "" : $" · under {a.ParentNumber}")}") { Data = a };

    public static ConfigurationItem Of(TaxCodeData t) => new(ConfigurationKind.TaxCode, t.Code, t.Name,
        $"{t.Name} · {Number(t.RatePercent)} % · {t.Direction}{(t.AuthorityName is null ? "" : $" · {t.AuthorityName}")}") { Data = t };

    public static ConfigurationItem Of(PaymentTermData p) => new(ConfigurationKind.PaymentTerm, p.Code, p.Name,
        $"{p.Name} · due in {p.DueDays} days{(p.DiscountPercent == 0 ? "" : $" · {Number(p.DiscountPercent)} % within {p.DiscountDays} days")}") { Data = p };

    public static ConfigurationItem Of(WorkflowData w) => new(ConfigurationKind.Workflow, w.Name, w.Name,
        string.Join(" → ", w.Steps.OrderBy(s => s.Sequence).Select(s =>
            $"{s.Sequence}. {s.Name}{(s.ParentSequence is { } p ? $" (after {p})" : "")}" +
            (s.Conditions.Count == 0 ? "" : " if " + string.Join(" and ", s.Conditions.Select(c => $"{c.Field} {c.Operator} {c.Value}").Order(StringComparer.Ordinal)))))) { Data = w };

    /// <summary>Per-item drift of a client against the partner, partner items first (by kind and key), then the client's own.</summary>
    public static List<DriftItem> Drift(IReadOnlyList<ConfigurationItem> partner, IReadOnlyList<ConfigurationItem> client)
    {
        var theirs = ByRef(client);
        var ours = ByRef(partner);
        var items = new List<DriftItem>();
        foreach (var item in ours.Values)
        {
            items.Add(theirs.TryGetValue(item.Ref, out var local)
                ? new DriftItem(item.Kind, item.Key, item.Name, local.Value == item.Value ? DriftStatus.Same : DriftStatus.ChangedLocally, item.Value, local.Value)
                : new DriftItem(item.Kind, item.Key, item.Name, DriftStatus.Missing, item.Value, null));
        }

        items.AddRange(theirs.Values.Where(l => !ours.ContainsKey(l.Ref))
            .Select(l => new DriftItem(l.Kind, l.Key, l.Name, DriftStatus.AddedLocally, null, l.Value)));
        return [.. items.OrderBy(i => i.Kind).ThenBy(i => i.Key, StringComparer.Ordinal)];
    }

    /// <summary>
    /// What a push does to one client. An item the client lacks is added, an equal one skipped, a different one is a
    /// conflict unless the partner chose to overwrite it. Blocked: it cannot be written as asked (a parent account or a
    /// legal entity the client does not have).
    /// </summary>
    public static List<PlannedItem> Plan(IReadOnlyList<ConfigurationItem> selected, ConfigurationSet client, IReadOnlySet<ItemRef> overwrite)
    {
        var theirs = ByRef(client.Items);
        var adding = selected.Where(s => !theirs.ContainsKey(s.Ref)).Select(s => s.Ref).ToHashSet();
        var plan = new List<PlannedItem>();
        foreach (var item in selected)
        {
            theirs.TryGetValue(item.Ref, out var local);
            var action = local is null ? PushAction.Add
                : local.Value == item.Value ? PushAction.Identical
                : overwrite.Contains(item.Ref) ? PushAction.Update
                : PushAction.Conflict;
            string? reason = null;
            if (action is PushAction.Add or PushAction.Update)
            {
                reason = item.Data switch
                {
                    AccountData { ParentNumber: { } parent } when !theirs.ContainsKey(new ItemRef(ConfigurationKind.Account, parent))
                        && !adding.Contains(new ItemRef(ConfigurationKind.Account, parent)) =>
                        $"Parent account {parent} is missing in this client; push it too.",
                    WorkflowData when client.EntityCodes.Count == 0 => "This client has no legal entity to hold the workflow.",
                    _ => null,
                };
            }

            plan.Add(new PlannedItem(item.Kind, item.Key, item.Name, reason is null ? action : PushAction.Blocked, local?.Value, item.Value, reason));
        }

        return plan;
    }

    private static Dictionary<ItemRef, ConfigurationItem> ByRef(IEnumerable<ConfigurationItem> items)
    {
        // Keys are unique per organization for accounts and tax codes; for names that repeat (a workflow on two
        // entities), the first by value decides, the same on every read.
        var map = new Dictionary<ItemRef, ConfigurationItem>();
        foreach (var item in items.OrderBy(i => i.Value, StringComparer.Ordinal))
        {
            map.TryAdd(item.Ref, item);
        }

        return map;
    }
}
