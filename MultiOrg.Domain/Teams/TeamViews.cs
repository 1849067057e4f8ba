namespace MultiOrg.Domain.Teams;

public sealed record PersonRef(string UserId, string Name);

public sealed record DepartmentView(Guid Id, string Name, Guid? ParentId, IReadOnlyList<PersonRef> Admins, int TeamCount, bool CanManageTeams);

public sealed record TeamView(
    Guid Id, string Name, Guid? DepartmentId, string? DepartmentName, int MemberCount, IReadOnlyList<PersonRef> Leaders,
    bool CanEdit, bool CanManageMembers, bool CanNameLeaders);

/// <summary>The organization's departments and teams, with what the acting person may do to each.</summary>
public sealed record TeamStructure(IReadOnlyList<DepartmentView> Departments, IReadOnlyList<TeamView> Teams, bool CanManageDepartments, bool CanCreateTopLevelTeams)
{
    /// <summary>Departments depth-first under their parents, with their depth (for an indented list or a select).</summary>
    public IEnumerable<(DepartmentView Department, int Depth)> Tree()
    {
        var byParent = Departments.ToLookup(d => d.ParentId);
        var seen = new HashSet<Guid>();
        IEnumerable<(DepartmentView, int)> Walk(Guid? parent, int depth)
        {
            foreach (var department in byParent[parent].OrderBy(d => d.Name, StringComparer.CurrentCultureIgnoreCase))
            {
                if (!seen.Add(department.Id))
                {
                    continue;
                }

                yield return (department, depth);
                foreach (var child in Walk(department.Id, depth + 1))
                {
                    yield return child;
                }
            }
        }

        return Walk(null, 0);
    }
}

public sealed record TeamMemberView(string UserId, string Name, string Email, bool IsLeader);
