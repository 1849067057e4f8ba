using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MultiOrg.Tests.Harness;

/// <summary>
/// Every API test host writes its log lines here (at the levels the app configures, so the suite is no slower), and
/// the secrets the tests create (passwords, access and refresh tokens, API keys, invitation tokens) are registered
/// here. When a host is disposed, its lines are checked against every secret the suite has registered so far: no
/// secret or token may appear in any log line of any API test (<c>LogTests</c> does the same at Trace for one run).
/// </summary>
public static class SuiteLogs
{
    private static readonly ConcurrentDictionary<string, string> Secrets = new(StringComparer.Ordinal);

    /// <summary>A value no log line may contain; <paramref name="what"/> names it in the failure.</summary>
    public static string Secret(string what, string value)
    {
        if (value.Length >= 8)
        {
            Secrets.TryAdd(value, what);
        }

        return value;
    }

    /// <summary>The lines one host wrote that carry a registered secret, each with what it carried.</summary>
    public static IReadOnlyList<string> Leaks(Sink sink) =>
        [.. sink.Lines.SelectMany(line => Secrets.Where(s => line.Text.Contains(s.Key, StringComparison.Ordinal))
            .Select(s => $"the {s.Value} appeared in a {line.Level} line of {line.Category}"))];

    /// <summary>One host's lines: message, exception and structured values, as a log store would keep them.</summary>
    public sealed class Sink : ILoggerProvider
    {
        internal ConcurrentQueue<(string Category, LogLevel Level, string Text)> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Writer(this, categoryName);

        /// <summary>For the test that plants a secret on purpose: the host's disposal would report it.</summary>
        public void Forget() => Lines.Clear();

        public void Dispose()
        {
        }

        private sealed class Writer(Sink sink, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? pairs.Select(p => Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture)) : [];
                sink.Lines.Enqueue((category, logLevel, string.Join(" | ", [formatter(state, exception), exception?.ToString(), .. values])));
            }
        }
    }
}
