namespace MultiOrg.Domain.Mail;

/// <summary>
/// One mail the app owes someone, written in the same save as the change that causes it and sent afterwards by whoever
/// claims it first (the request right after its commit, or the outbox job on any server), until sent or given up.
/// </summary>
/// <remarks>
/// Not organization data: account mails belong to no organization, and the job reads across all of them.
/// <see cref="OrganizationId"/> only says whose administrators are told when it is given up.
/// </remarks>
public sealed class OutboxMail
{
    public const int KindMaxLength = 64;
    public const int RecipientMaxLength = 256;
    public const int ErrorMaxLength = 500;
    public const int ClaimMaxLength = 64;

    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>What it is: invitation, added-to-organization, retention-shortening, owner-notice, confirm-email, password-reset.</summary>
    public required string Kind { get; set; }

    public Guid? OrganizationId { get; set; }

    /// <summary>The address it goes to, for the people who look at what is stuck.</summary>
    public required string Recipient { get; set; }

    /// <summary>
    /// The whole message, encrypted with Data Protection: it carries single-use links (invitations, password resets) that a
    /// reader of the database must not find. Emptied once sent.
    /// </summary>
    public byte[]? Content { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>Not before: the backoff after a failed attempt.</summary>
    public DateTime NextAttemptAt { get; set; }

    public int Attempts { get; set; }

    /// <summary>Who is sending it now (a fresh value per claim), until <see cref="ClaimedUntil"/>; then anyone may claim it again.</summary>
    public string? ClaimedBy { get; set; }

    public DateTime? ClaimedUntil { get; set; }

    public DateTime? SentAt { get; set; }

    /// <summary>Given up after the last attempt: never retried again.</summary>
    public DateTime? FailedAt { get; set; }

    /// <summary>The last failure's type and the server's answer (never the message or a credential).</summary>
    public string? LastError { get; set; }
}
