using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Teams;

/// <summary>A department: an optional node of the organization's tree (a parent of departments and teams).</summary>
public sealed class Department : ITenantOwned, ITimestamped
{
    public const int NameMaxLength = 100;

    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganizationId { get; set; }

    public required string Name { get; set; }

    /// <summary>The department this one sits in; null at the top of the organization.</summary>
    public Guid? ParentDepartmentId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>A team, inside a department or directly in the organization.</summary>
public sealed class Team : ITenantOwned, ITimestamped
{
    public const int NameMaxLength = 100;

    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganizationId { get; set; }

    public required string Name { get; set; }

    public Guid? DepartmentId { get; set; }

    public Department? Department { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>A member in a team (a member may be in any number of teams); <see cref="IsLeader"/> makes them its Team Leader.</summary>
public sealed class TeamMember : ITenantOwned, ITimestamped
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganizationId { get; set; }

    public Guid TeamId { get; set; }

    public Team? Team { get; set; }

    public required string UserId { get; set; }

    public bool IsLeader { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>A member named Department Admin of one department (and so of the departments below it).</summary>
public sealed class DepartmentAdmin : ITenantOwned, ITimestamped
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganizationId { get; set; }

    public Guid DepartmentId { get; set; }

    public required string UserId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}
