namespace MultiOrg.Data;

/// <summary>A save tried to write a row of an organization other than the current one. Always a bug.</summary>
public sealed class TenantViolationException : InvalidOperationException
{
    public TenantViolationException()
    {
    }

    public TenantViolationException(string message)
        : base(message)
    {
    }

    public TenantViolationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
