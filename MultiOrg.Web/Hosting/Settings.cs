using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MultiOrg.Web.Features.Assistant;
using MultiOrg.Web.Features.Audit;
using MultiOrg.Web.Features.Security;

namespace MultiOrg.Web.Hosting;

/// <summary>
/// Every options class the app binds, with its configuration section: each is checked at start (a bad value stops the
/// app with one line naming the setting and what it expects), and the README's settings reference is generated from
/// this list (<c>SettingsReferenceTests</c>).
/// </summary>
public static class Settings
{
    public static readonly IReadOnlyList<(string Section, Type Type)> Catalog =
    [
        (MultiOrg.Data.DatabaseOptions.Section, typeof(MultiOrg.Data.DatabaseOptions)),
        (AppOptions.Section, typeof(AppOptions)),
        (Email.EmailOptions.Section, typeof(Email.EmailOptions)),
        (Domain.Invitations.InvitationOptions.Section, typeof(Domain.Invitations.InvitationOptions)),
        (Domain.Audit.AuditOptions.Section, typeof(Domain.Audit.AuditOptions)),
        (Domain.Billing.BillingOptions.Section, typeof(Domain.Billing.BillingOptions)),
        (IdentitySettings.Section, typeof(IdentitySettings)),
        (AccessTokenSettings.Section, typeof(AccessTokenSettings)),
        (RateLimitOptions.Section, typeof(RateLimitOptions)),
        (ForwardedHeadersSettings.Section, typeof(ForwardedHeadersSettings)),
        (DataProtectionSettings.Section, typeof(DataProtectionSettings)),
        (TelemetryOptions.Section, typeof(TelemetryOptions)),
        (MetricsSettings.Section, typeof(MetricsSettings)),
        (AdministrationSettings.Section, typeof(AdministrationSettings)),
        (Events.RedisSettings.Section, typeof(Events.RedisSettings)),
        (CircuitSettings.Section, typeof(CircuitSettings)),
        (Outbound.OutboundRequestsSettings.Section, typeof(Outbound.OutboundRequestsSettings)),
        (Outbound.DnsSettings.Section, typeof(Outbound.DnsSettings)),
        (JobsSettings.Section, typeof(JobsSettings)),
        (AuditRetentionSettings.Section, typeof(AuditRetentionSettings)),
        (HostNameSettings.Section, typeof(HostNameSettings)),
        (AssistantSettings.Section, typeof(AssistantSettings)),
    ];

    /// <summary>Binds <typeparamref name="T"/> to its section as <c>IOptions&lt;T&gt;</c>, checked when the host starts.</summary>
    public static OptionsBuilder<T> AddSettings<T>(this IServiceCollection services, string section)
        where T : class
    {
        // Once, however often the composition reads it: each validator would report the same failure again.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>>(new SettingsValidator<T>(section)));
        var options = services.AddOptions<T>();

        // The empty section is the configuration's top level (AllowedHosts, a framework setting, lives there).
        options = section.Length == 0 ? options.Configure<IConfiguration>((value, configuration) => configuration.Bind(value)) : options.BindConfiguration(section);
        if (typeof(ISingleValueLists).IsAssignableFrom(typeof(T)))
        {
            options.PostConfigure<IConfiguration>((value, configuration) => ((ISingleValueLists)value).AddSingleValues(Section(configuration, section)));
        }

        return options.ValidateOnStart();
    }

    /// <summary>
    /// Binds <typeparamref name="T"/> now, for the settings the composition itself depends on, and registers it like
    /// <see cref="AddSettings{T}"/>. A value that fails its check gives the defaults here and stops the host at start
    /// with the same one line as every other setting.
    /// </summary>
    public static T ReadSettings<T>(this IServiceCollection services, IConfiguration configuration, string section)
        where T : class, new()
    {
        services.AddSettings<T>(section);
        try
        {
            var value = Section(configuration, section).Get<T>() ?? new T();
            (value as ISingleValueLists)?.AddSingleValues(Section(configuration, section));
            return new SettingsValidator<T>(section).Validate(null, value).Failed ? new T() : value;
        }
        catch (InvalidOperationException error) when (IsSettingError(error))
        {
            return new T();
        }
    }

    private static IConfiguration Section(IConfiguration configuration, string section) =>
        section.Length == 0 ? configuration : configuration.GetSection(section);

    /// <summary>
    /// A list setting given as a list (<c>Key:0</c>, a JSON array) and/or as one value separated by commas, semicolons or
    /// spaces (one environment variable, <c>Dns__NameServers=10.0.0.2:53,10.0.0.3:53</c>): the binder reads only the first.
    /// </summary>
    public static List<string> WithSingleValue(IEnumerable<string?> listed, string? single) =>
        [.. listed.Append(single).SelectMany(v => (v ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <summary>The configuration key of a property: its name, or the one <see cref="ConfigurationKeyNameAttribute"/> gives it.</summary>
    public static string Key(string path, PropertyInfo property)
    {
        var name = property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;
        return path.Length == 0 ? name : $"{path}:{name}";
    }

    private static int reporting;

    /// <summary>
    /// Checks every setting before anything touches the database. A setting that fails its check (or does not convert to
    /// its type) throws; left unhandled, it ends the process with one line on standard error and exit code 1 instead of a
    /// stack trace an operator has to read through. A host that starts the app itself (the test host) catches it as is.
    /// </summary>
    public static void CheckSettings(this WebApplication app)
    {
        if (Interlocked.Exchange(ref reporting, 1) == 0)
        {
            AppDomain.CurrentDomain.UnhandledException += (_, e) =>
            {
                if (e.ExceptionObject is Exception error && IsSettingError(error))
                {
                    Console.Error.WriteLine($"MultiOrg did not start: {Describe(error)}");
                    Environment.Exit(1);
                }
            };
        }

        app.Services.GetService<IStartupValidator>()?.Validate();
    }

    /// <summary>A failed check, or the configuration binder's "Failed to convert configuration value … at 'Key' to type …".</summary>
    public static bool IsSettingError(Exception error) =>
        error is OptionsValidationException
        || (error is InvalidOperationException && error.InnerException is FormatException or OverflowException or ArgumentException)
        || (error is AggregateException all && all.InnerExceptions.All(IsSettingError));

    /// <summary>Each failed setting once, on one line.</summary>
    public static string Describe(Exception error) => error switch
    {
        OptionsValidationException failed => string.Join(" ", failed.Failures),
        AggregateException all => string.Join(" ", all.InnerExceptions.Select(Describe)),
        _ => error.Message,
    };
}

/// <summary>An options class with list settings that may also come as one separated value (<see cref="Settings.WithSingleValue"/>).</summary>
public interface ISingleValueLists
{
    void AddSingleValues(IConfiguration section);
}

/// <summary>
/// Data annotations on every property, nested object and list item, reported by configuration key
/// (<c>Billing:Plans:1:Code</c>) with the value that was given; <see cref="IValidatableObject"/> adds the rules that
/// span several settings. Passwords and secrets are named but never echoed.
/// </summary>
internal sealed class SettingsValidator<T>(string section) : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var failures = new List<string>();
        Check(options, section, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static bool IsSecret(PropertyInfo property) =>
        property.GetCustomAttribute<System.ComponentModel.PasswordPropertyTextAttribute>() is { Password: true } || IsSecret(property.Name);

    internal static bool IsSecret(string name) =>
        name.Contains("Password", StringComparison.OrdinalIgnoreCase) || name.Contains("Secret", StringComparison.OrdinalIgnoreCase);

    private static void Check(object target, string path, List<string> failures)
    {
        foreach (var property in target.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var key = Settings.Key(path, property);
            var value = property.GetValue(target);
            var results = new List<ValidationResult>();
            var context = new ValidationContext(target) { MemberName = property.Name, DisplayName = key };
            if (!Validator.TryValidateProperty(value, context, results))
            {
                failures.AddRange(results.Select(r => $"{r.ErrorMessage?.TrimEnd('.')}{Given(property, value)}."));
            }

            switch (value)
            {
                case null or string or IDictionary:
                    break;
                case IEnumerable items:
                    var index = 0;
                    foreach (var item in items)
                    {
                        if (item is not null && IsSection(item.GetType()))
                        {
                            Check(item, $"{key}:{index}", failures);
                        }

                        index++;
                    }

                    break;
                default:
                    if (IsSection(property.PropertyType))
                    {
                        Check(value, key, failures);
                    }

                    break;
            }
        }

        if (target is IValidatableObject rules)
        {
            foreach (var result in rules.Validate(new ValidationContext(target)))
            {
                var property = result.MemberNames.FirstOrDefault() is { } member ? target.GetType().GetProperty(member) : null;
                failures.Add(property is null
                    ? $"{path}: {result.ErrorMessage}"
                    : $"{Settings.Key(path, property)} {result.ErrorMessage?.TrimEnd('.')}{Given(property, property.GetValue(target))}.");
            }
        }
    }

    private static bool IsSection(Type type) => type.IsClass && type != typeof(string) && !type.IsArray;

    private static string Given(PropertyInfo property, object? value) =>
        IsSecret(property) ? string.Empty
        : value is null ? " (it is not set)"
        : value is ICollection ? string.Empty
        : $" (it is '{Convert.ToString(value, CultureInfo.InvariantCulture)}')";
}
