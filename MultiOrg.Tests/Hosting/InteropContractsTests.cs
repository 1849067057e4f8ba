using System.Reflection;
using System.Text.Json;
using Microsoft.JSInterop;
using Microsoft.JSInterop.Infrastructure;
using MultiOrg.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;
using MultiOrg.Web.Hosting;

namespace MultiOrg.Tests.Hosting;

/// <summary>
/// Every circuit has its own JS interop runtime and options; the accessors System.Text.Json compiles for an interop type
/// are made once for all of them (#28 point 3), not again for each circuit opened more than a second after the last.
/// </summary>
[Trait(TestDatabase.Trait, TestDatabase.Independent)]
public sealed class InteropContractsTests
{
    public sealed class Rect
    {
        public double Top { get; set; }

        public double Width { get; set; }

        public string? Label { get; set; }
    }

    [Fact]
    public void Two_circuits_runtimes_share_the_compiled_accessors_of_an_interop_type()
    {
        var first = Options(new CircuitRuntime());
        var firstContract = first.GetTypeInfo(typeof(Rect));

        // What a second passing does to System.Text.Json's own short-lived cache of emitted accessors (hot reload's hook).
        ForgetEmittedAccessors();
        var second = Options(new CircuitRuntime());
        var secondContract = second.GetTypeInfo(typeof(Rect));

        secondContract.Should().NotBeSameAs(firstContract, "each circuit's options hold their own contracts");
        secondContract.CreateObject.Should().BeSameAs(firstContract.CreateObject);
        foreach (var property in secondContract.Properties)
        {
            var shared = firstContract.Properties.Single(p => p.Name == property.Name);
            property.Get.Should().BeSameAs(shared.Get, "the second circuit reads {0} with the first one's getter", property.Name);
            property.Set.Should().BeSameAs(shared.Set, "the second circuit writes {0} with the first one's setter", property.Name);
        }
    }

    [Fact]
    public void The_runtime_each_circuit_of_the_app_gets_shares_the_accessors()
    {
        using var factory = new ApiFactory();
        using var scope = factory.Services.CreateScope();

        var runtime = scope.ServiceProvider.GetRequiredService<IJSRuntime>();

        runtime.GetType().Name.Should().Be("RemoteJSRuntime");
        InteropContracts.OptionsOf((JSRuntime)runtime).TypeInfoResolverChain.Should().Contain(SharedAccessors.Instance,
            "the chain was {0}", string.Join(", ", InteropContracts.OptionsOf((JSRuntime)runtime).TypeInfoResolverChain.Select(r => r.GetType().Name)));
    }

    [Fact]
    public void Interop_payloads_keep_their_shape_with_shared_accessors()
    {
        var options = Options(new CircuitRuntime());

        var json = JsonSerializer.Serialize(new object?[] { new Rect { Top = 1.5, Width = 20, Label = "card" }, 3 }, options);
        var back = JsonSerializer.Deserialize<Rect>("""{"top":2,"WIDTH":40,"label":"chart"}""", options)!;

        json.Should().Be("""[{"top":1.5,"width":20,"label":"card"},3]""");
        back.Should().BeEquivalentTo(new Rect { Top = 2, Width = 40, Label = "chart" });
    }

    [Fact]
    public void Options_already_in_use_are_left_as_they_are()
    {
        var runtime = new CircuitRuntime();
        var options = InteropContracts.OptionsOf(runtime);
        JsonSerializer.Serialize(new Rect(), options);

        InteropContracts.Share(options).Should().BeFalse();
    }

    private static JsonSerializerOptions Options(JSRuntime runtime)
    {
        var options = InteropContracts.OptionsOf(runtime);
        InteropContracts.Share(options).Should().BeTrue("a new runtime's options are not in use yet");

        // As at the runtime's first call: the resolver left unset stands for the default one.
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private static void ForgetEmittedAccessors() =>
        typeof(JsonSerializer).Assembly.GetType("System.Text.Json.JsonSerializerOptionsUpdateHandler", throwOnError: true)!
            .GetMethod("ClearCache", BindingFlags.Public | BindingFlags.Static)!
            .Invoke(null, [null]);

    /// <summary>A runtime as a circuit has one: its options are made by <see cref="JSRuntime"/> itself.</summary>
    private sealed class CircuitRuntime : JSRuntime
    {
        protected override void BeginInvokeJS(long taskId, string identifier, string? argsJson, JSCallResultType resultType, long targetInstanceId)
        {
        }

        protected override void EndInvokeDotNet(DotNetInvocationInfo invocationInfo, in DotNetInvocationResult invocationResult)
        {
        }
    }
}
