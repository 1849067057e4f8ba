namespace MultiOrg.Domain.Jobs;

/// <summary>
/// One run of a background job for one due time. The unique (Job, DueAt) pair is the lease: of several servers due to
/// run the same job at the same time, the one whose insert commits runs it; the others find the row and skip.
/// </summary>
public sealed class JobRun
{
    public const int JobMaxLength = 64;

    public Guid Id { get; set; } = Guid.CreateVersion7();

    public required string Job { get; set; }

    public DateTime DueAt { get; set; }

    /// <summary>Which server ran it (machine and process), for operators reading the table.</summary>
    public required string Holder { get; set; }

    public DateTime StartedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    public string? Outcome { get; set; }
}
