namespace MultiOrg.Domain.Errors;

/// <summary>What kind of refusal a domain error is; the UI and the API translate it (404/403/409/400/401).</summary>
public enum DomainErrorKind
{
    Validation,
    NotFound,
    Forbidden,
    Conflict,
    Unauthenticated,

    /// <summary>Not enough credits for a use (HTTP 402).</summary>
    InsufficientCredits,
}

/// <summary>A refusal by a domain service, with a message meant for the person who asked.</summary>
public sealed class DomainException : Exception
{
    public DomainException(DomainErrorKind kind, string message, string? field = null)
        : base(message)
    {
        Kind = kind;
        Field = field;
    }

    public DomainException()
        : this(DomainErrorKind.Validation, "The request is not valid.")
    {
    }

    public DomainException(string message)
        : this(DomainErrorKind.Validation, message)
    {
    }

    public DomainException(string message, Exception innerException)
        : base(message, innerException)
    {
        Kind = DomainErrorKind.Validation;
    }

    public DomainErrorKind Kind { get; }

    /// <summary>The input field the error is about (camelCase, as the API names it), when there is one.</summary>
    public string? Field { get; }

    /// <summary>Set when an organization's security policy refused: the UI sends the person to fix it where they can.</summary>
    public Security.SecurityRefusal Refusal { get; init; }

    public static DomainException Invalid(string field, string message) => new(DomainErrorKind.Validation, message, field);
}
