namespace MultiOrg.Domain.Mail;

/// <summary>
/// Mails added to a unit of work's outbox. Once the unit has committed, <see cref="SendNowAsync"/> tries them at once;
/// what fails stays in the outbox, which retries it. Nothing is sent for a unit that rolled back.
/// </summary>
public sealed class QueuedMail(IReadOnlyList<Guid> ids, Func<IReadOnlyList<Guid>, CancellationToken, Task<bool>> send)
{
    public static QueuedMail None { get; } = new([], (_, _) => Task.FromResult(true));

    public IReadOnlyList<Guid> Ids => ids;

    /// <summary>True when every mail went out now; false when some wait in the outbox for a retry. Never throws for a mail failure.</summary>
    public Task<bool> SendNowAsync(CancellationToken ct = default) => ids.Count == 0 ? Task.FromResult(true) : send(ids, ct);
}
