using System.Globalization;
using System.Reflection;

namespace MultiOrg.Web.Doors.Api;

/// <summary>
/// An enum in the query string is one of its names, never a number: binding takes <c>?sort=7</c> (Enum.TryParse reads
/// numbers), so endpoints with enum query parameters refuse a numeric value, naming the parameter.
/// </summary>
internal static class QueryEnums
{
    public static EndpointFilterDelegate NamesOnly(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var enums = context.MethodInfo.GetParameters()
            .Where(p => (Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType).IsEnum && p.GetCustomAttribute<Microsoft.AspNetCore.Mvc.FromBodyAttribute>() is null)
            .Select(p => (Name: p.Name!, Type: Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType))
            .ToArray();
        if (enums.Length == 0)
        {
            return next;
        }

        return invocation =>
        {
            var query = invocation.HttpContext.Request.Query;
            foreach (var (name, type) in enums)
            {
                if (query.TryGetValue(name, out var values) && values.Any(v => long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)))
                {
                    return ValueTask.FromResult<object?>(TypedResults.Problem(
                        $"'{name}' takes a name, not a number: one of {string.Join(", ", Enum.GetNames(type))}.",
                        statusCode: StatusCodes.Status400BadRequest,
                        title: "The request is not valid."));
                }
            }

            return next(invocation);
        };
    }
}
