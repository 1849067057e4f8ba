using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.JSInterop;

namespace MultiOrg.Web.Hosting;

/// <summary>
/// One set of compiled JSON accessors for every circuit's JS interop (#28, bench/results/circuit-heap.md, "Per-circuit
/// compiled code"). Each circuit's <see cref="JSRuntime"/> has its own <see cref="JsonSerializerOptions"/> (its converters
/// hold the runtime), so System.Text.Json builds each interop type's contract again per circuit, and its reflection
/// resolver emits a getter, setter and constructor (a <c>DynamicMethod</c> each) that the circuit's contract keeps: about
/// 76 per idle dashboard circuit. The emitted accessors are shared only within one second of each other. Here each
/// circuit's runtime gets, as it is made (the renderer uses its options before any circuit handler runs), a resolver
/// that hands every contract of a type the accessors of the first contract made for it; those emitted meanwhile are
/// left to the collector.
/// </summary>
public static class InteropContracts
{
    /// <summary>Makes the framework's circuit runtime (the last <see cref="IJSRuntime"/> registered) share its accessors.</summary>
    public static IServiceCollection AddSharedInteropContracts(this IServiceCollection services)
    {
        var index = services.Count - 1;
        while (index >= 0 && services[index].ServiceType != typeof(IJSRuntime))
        {
            index--;
        }

        // A runtime made otherwise (a factory, a test host's) is left as it is.
        if (index < 0 || services[index] is not { Lifetime: ServiceLifetime.Scoped, ImplementationType: { } runtimeType }
            || !typeof(JSRuntime).IsAssignableFrom(runtimeType))
        {
            return services;
        }

        var create = ActivatorUtilities.CreateFactory(runtimeType, Type.EmptyTypes);
        services[index] = ServiceDescriptor.Scoped<IJSRuntime>(provider =>
        {
            var runtime = (JSRuntime)create(provider, null);
            Share(OptionsOf(runtime));
            return runtime;
        });
        return services;
    }

    /// <summary>
    /// Puts the shared resolver in place of the options' reflection resolver (named, or the default that an empty chain
    /// stands for), if the options are not in use yet.
    /// </summary>
    internal static bool Share(JsonSerializerOptions options)
    {
        if (options.IsReadOnly)
        {
            return false;
        }

        var chain = options.TypeInfoResolverChain;
        var reflection = chain.ToList().FindIndex(r => r is DefaultJsonTypeInfoResolver);
        if (reflection >= 0)
        {
            chain[reflection] = SharedAccessors.Instance;
        }
        else if (chain.Count == 0)
        {
            chain.Add(SharedAccessors.Instance);
        }
        else
        {
            return false;
        }

        return true;
    }

    /// <summary>The runtime's interop options: a protected member of <see cref="JSRuntime"/>, read without reflection.</summary>
    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_JsonSerializerOptions")]
    internal static extern JsonSerializerOptions OptionsOf(JSRuntime runtime);
}

/// <summary>The reflection resolver, with each type's accessors taken from the first contract it made for that type.</summary>
internal sealed class SharedAccessors : IJsonTypeInfoResolver
{
    public static readonly SharedAccessors Instance = new();

    private readonly DefaultJsonTypeInfoResolver reflection = new();
    private readonly ConcurrentDictionary<Type, Accessors> first = new();

    public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options)
    {
        var contract = reflection.GetTypeInfo(type, options);
        if (contract.Kind != JsonTypeInfoKind.None)
        {
            var accessors = first.GetOrAdd(type, static (_, made) => Accessors.Of(made), contract);
            accessors.LendTo(contract);
        }

        return contract;
    }

    /// <summary>Delegates only: a contract would keep its options, and with them the first circuit's runtime, alive.</summary>
    private sealed record Accessors(Func<object>? Create, Dictionary<string, (Func<object, object?>? Get, Action<object, object?>? Set)> Properties)
    {
        public static Accessors Of(JsonTypeInfo contract) => new(
            contract.CreateObject,
            contract.Properties.ToDictionary(p => p.Name, p => (p.Get, p.Set), StringComparer.Ordinal));

        public void LendTo(JsonTypeInfo contract)
        {
            if (Create is not null && contract.CreateObject is not null)
            {
                contract.CreateObject = Create;
            }

            foreach (var property in contract.Properties)
            {
                if (Properties.TryGetValue(property.Name, out var shared))
                {
                    if (shared.Get is not null && property.Get is not null)
                    {
                        property.Get = shared.Get;
                    }

                    if (shared.Set is not null && property.Set is not null)
                    {
                        property.Set = shared.Set;
                    }
                }
            }
        }
    }
}
