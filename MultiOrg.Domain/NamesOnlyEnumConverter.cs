using System.Text.Json.Serialization;

namespace MultiOrg.Domain;

/// <summary>
/// An enum travels as one of its names, never as a number: <c>"role": 7</c> is a bad request, not a MEMBER
/// (<see cref="JsonStringEnumConverter{TEnum}"/> takes numbers unless told not to, and an attribute cannot tell it).
/// </summary>
public sealed class NamesOnlyEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(namingPolicy: null, allowIntegerValues: false)
    where TEnum : struct, Enum;
