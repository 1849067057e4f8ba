namespace MultiOrg.Domain.Tenancy;

/// <summary>Rows whose creation and last-change times the DbContext keeps, in UTC.</summary>
public interface ITimestamped
{
    DateTime CreatedAt { get; set; }
    DateTime UpdatedAt { get; set; }
}
