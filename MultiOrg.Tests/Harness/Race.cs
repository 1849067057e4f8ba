namespace MultiOrg.Tests.Harness;

/// <summary>
/// Starts many operations at the same moment: each waits on one gate, opened once all are queued, so they reach the
/// database together (no thread is blocked waiting, which on two cores would starve the pool instead of racing).
/// </summary>
public static class Race
{
    /// <summary>Each operation's exception, or null where it succeeded, in the order given.</summary>
    public static async Task<Exception?[]> RunAsync(IEnumerable<Func<Task>> operations)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = operations.Select(async operation =>
        {
            await gate.Task;
            try
            {
                await operation();
                return (Exception?)null;
            }
            catch (Exception e)
            {
                return e;
            }
        }).ToList();
        gate.SetResult();
        return await Task.WhenAll(runs);
    }

    /// <summary>The outcomes counted by kind ("ok: 24, DomainException: 26"), for assertion messages.</summary>
    public static string Tally(IEnumerable<Exception?> outcomes) =>
        string.Join(", ", outcomes.GroupBy(e => e is null ? "ok" : e.GetType().Name).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key}: {g.Count()}"));
}
