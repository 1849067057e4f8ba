using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MultiOrg.Web.Email;
using Polly;

namespace MultiOrg.Tests.Harness;

/// <summary>The app's mail outbox over a test database, for the services tests build by hand (no host, no job).</summary>
public static class TestOutbox
{
    /// <summary>Quick retries without their wait: a refusing server answers at once, so nothing here waits on the clock.</summary>
    public static OutboxOptions Settings() => new() { QuickRetryDelay = TimeSpan.Zero };

    public static MailOutbox Over(TestDatabase database, MailSender mail, TimeProvider? time = null, OutboxOptions? settings = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        var options = new EmailOptions { Outbox = settings ?? Settings() };
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = time ?? TimeProvider.System };
        MailOutbox.Configure(pipeline, options.Outbox);
        return new MailOutbox(database.Provider, mail, new EphemeralDataProtectionProvider(), time ?? TimeProvider.System, Options.Create(options),
            pipeline.Build(), scopes: null, NullLogger<MailOutbox>.Instance);
    }
}
