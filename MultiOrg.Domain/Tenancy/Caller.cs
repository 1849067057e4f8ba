namespace MultiOrg.Domain.Tenancy;

/// <summary>
/// Who comes through a door: a person (with the organizations whose identity provider their session passed), one
/// organization's API key, or one organization's SCIM token. An assistant grant is its person: its reach is the adapter's.
/// </summary>
public sealed record Caller
{
    private static readonly IReadOnlySet<Guid> NoMarks = new HashSet<Guid>();

    private Caller()
    {
    }

    /// <summary>No one (signed out, or not yet known): the tenant has no user and enters nothing.</summary>
    public static Caller Nobody { get; } = new();

    public string? UserId { get; private init; }

    public ApiKeys.ApiKeyIdentity? ApiKey { get; private init; }

    public Scim.ScimTokenIdentity? ScimToken { get; private init; }

    public IReadOnlySet<Guid> SsoPassed { get; private init; } = NoMarks;

    public static Caller Person(string? userId, IReadOnlySet<Guid>? ssoPassed = null) =>
        new() { UserId = userId, SsoPassed = ssoPassed ?? NoMarks };

    public static Caller Key(ApiKeys.ApiKeyIdentity key) => new() { UserId = key.CreatedByUserId, ApiKey = key };

    public static Caller Directory(Scim.ScimTokenIdentity token) => new() { UserId = token.CreatedByUserId, ScimToken = token };
}

/// <summary>
/// What one use through a door costs: the feature it needs (a reading use passes an overdue bill) and the credits it
/// debits. An idempotency key makes a retried use free.
/// </summary>
public sealed record Metering(FeatureSwitches.Feature Feature, bool Reading, string UsageKind, string Source, string? IdempotencyKey = null);
