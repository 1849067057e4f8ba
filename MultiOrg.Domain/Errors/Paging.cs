namespace MultiOrg.Domain.Errors;

/// <summary>The bounds of a paged list: a page size the caller may ask for and a page number that cannot overflow an offset.</summary>
public static class Paging
{
    /// <summary>Far beyond any list a person pages through; with the largest page size the offset stays within an int.</summary>
    public const int MaxPage = 1_000_000;

    /// <summary>Refuses, naming the field, a page size outside 1..<paramref name="maxPageSize"/> or a page outside 1..<see cref="MaxPage"/>.</summary>
    public static void Require(int page, int pageSize, int maxPageSize)
    {
        if (pageSize < 1 || pageSize > maxPageSize)
        {
            throw DomainException.Invalid("pageSize", $"Page size (pageSize) must be between 1 and {maxPageSize}.");
        }

        if (page < 1 || page > MaxPage)
        {
            throw DomainException.Invalid("page", $"Page (page) must be between 1 and {MaxPage}.");
        }
    }
}
