using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Users;

namespace MultiOrg.Tests.Permissions;

/// <summary>
/// The rules in <see cref="Access"/> on their own, as tables: the acting role against the target's role, the global
/// roles, what an impersonation is never given, partner staff's role in a client, and what a page is told it may do.
/// </summary>
public sealed class AccessRulesTests
{
    private const OrganizationRole Owner = OrganizationRole.Owner;
    private const OrganizationRole Admin = OrganizationRole.Admin;
    private const OrganizationRole Member = OrganizationRole.Member;

    public static TheoryData<OrganizationRole, OrganizationRole, bool> TargetRoles => new()
    {
        { Owner, Owner, true }, { Owner, Admin, true }, { Owner, Member, true },
        { Admin, Owner, false }, { Admin, Admin, true }, { Admin, Member, true },
        { Member, Owner, false }, { Member, Admin, false }, { Member, Member, true },
    };

    [Theory]
    [MemberData(nameof(TargetRoles))]
    public void Only_a_role_at_least_the_targets_acts_on_it(OrganizationRole acting, OrganizationRole target, bool allowed) =>
        acting.MayActOn(target).Should().Be(allowed, $"{acting} acting on {target}");

    public static TheoryData<OrganizationRole, OrganizationRole, TargetAction> Refusals => new()
    {
        { Admin, Owner, TargetAction.RemoveMember },
        { Admin, Owner, TargetAction.SignOutEverywhere },
        { Member, Admin, TargetAction.RevokeApiKey },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_refused_target_action_says_which_rule_refused_it(OrganizationRole acting, OrganizationRole target, TargetAction action)
    {
        var me = new EffectiveAccess("me", Guid.NewGuid(), acting, null, null);

        var refusal = FluentActions.Invoking(() => me.RequireMayActOn(target, action)).Should().Throw<DomainException>().Which;

        refusal.Kind.Should().Be(DomainErrorKind.Forbidden);
        refusal.Message.Should().Be(Access.Refusal(action));
        Access.Refusal(TargetAction.RemoveMember).Should().Be(DomainMessages.OnlyOwnerRemovesOwner);
        Access.Refusal(TargetAction.SignOutEverywhere).Should().Be(DomainMessages.OnlyOwnerSignsOutOwner);
        Access.Refusal(TargetAction.RevokeApiKey).Should().Be(DomainMessages.OnlyOwnerRevokesOwnerKey);
    }

    /// <summary>Acting role × target role → may the page offer "remove" and "sign out everywhere" on that member's row.</summary>
    public static TheoryData<OrganizationRole, OrganizationRole, bool> MemberRows => new()
    {
        { Owner, Owner, true }, { Owner, Admin, true }, { Owner, Member, true },
        { Admin, Owner, false }, { Admin, Admin, true }, { Admin, Member, true },

        // A MEMBER removes nobody: the permission table refuses before the target's role is asked.
        { Member, Owner, false }, { Member, Admin, false }, { Member, Member, false },
    };

    [Theory]
    [MemberData(nameof(MemberRows))]
    public void A_page_offers_member_actions_by_role_and_target_role(OrganizationRole acting, OrganizationRole target, bool offered)
    {
        var allowed = new Abilities("me", acting, Impersonating: false);

        allowed.CanActOnMember("someone-else", target).Should().Be(offered, $"{acting} on another {target}");
        allowed.CanActOnMember("me", target).Should().BeFalse("removing yourself is leaving");
    }

    [Theory]
    [InlineData(Owner, true)]
    [InlineData(Admin, true)]
    [InlineData(Member, false)]
    public void Selecting_many_members_is_offered_to_those_who_change_roles_or_remove(OrganizationRole role, bool offered) =>
        new Abilities("me", role, false).CanActOnMany.Should().Be(offered);

    [Theory]
    [InlineData(Owner, new[] { Member, Admin, Owner })]
    [InlineData(Admin, new[] { Member, Admin })]
    [InlineData(Member, new[] { Member })]
    public void A_new_api_key_is_offered_the_roles_up_to_ones_own(OrganizationRole role, OrganizationRole[] offered) =>
        new Abilities("me", role, false).KeyRoles.Should().Equal(offered);

    [Fact]
    public void The_navigation_shows_the_roles_places_even_where_an_impersonation_may_not_act()
    {
        var impersonating = new Abilities("sid", Admin, Impersonating: true);

        foreach (var permission in Enum.GetValues<Permission>())
        {
            impersonating.RoleAllows(permission).Should().Be(Admin.Allows(permission), $"{permission}");
        }

        impersonating.Can(Permission.ManageClients).Should().BeFalse("the partner dashboard refuses an impersonation");
        Abilities.None.RoleAllows(Permission.ViewOrganization).Should().BeFalse("outside an organization nothing shows");
    }

    [Fact]
    public void A_role_read_by_a_service_is_asked_as_the_permission_table_says()
    {
        var person = new TenantContext();
        person.SetUser("olivia");
        foreach (var role in new[] { Owner, Admin, Member })
        {
            foreach (var permission in Enum.GetValues<Permission>())
            {
                Access.AbilitiesOf(person, role).Can(permission).Should().Be(role.Allows(permission), $"{role} × {permission}");
            }
        }
    }

    [Fact]
    public void A_page_asks_the_permission_table_for_every_role_and_permission()
    {
        foreach (var permission in Enum.GetValues<Permission>())
        {
            foreach (var role in Enum.GetValues<OrganizationRole>())
            {
                new Abilities("me", role, false).Can(permission).Should().Be(role.Allows(permission), $"{role} × {permission}");
            }
        }
    }

    [Fact]
    public void Outside_an_organization_a_page_may_do_nothing()
    {
        var allowed = Access.AbilitiesOf(new TenantContext());

        allowed.Should().Be(Abilities.None);
        Enum.GetValues<Permission>().Should().NotContain(p => allowed.Can(p));
        allowed.CanActOn(Member).Should().BeFalse();
    }

    [Fact]
    public void An_impersonation_is_never_offered_what_it_is_never_granted_but_sees_what_admins_see()
    {
        // Support impersonates with ADMIN's view, never offered what no impersonation is granted.
        var impersonating = new Abilities("sid", Admin, Impersonating: true);

        foreach (var permission in Enum.GetValues<Permission>())
        {
            var expected = Admin.Allows(permission) && !RolePermissions.NotWhileImpersonating.Contains(permission);
            impersonating.Can(permission).Should().Be(expected, permission.ToString());
        }

        impersonating.Can(Permission.InviteMembers).Should().BeTrue();
        impersonating.Can(Permission.ManageClients).Should().BeFalse();
        new Abilities("sid", Owner, Impersonating: true).Can(Permission.ManageBilling).Should().BeFalse("billing is the owners' own");
    }

    [Fact]
    public void A_read_only_impersonation_reads_what_admins_read_and_is_offered_no_change()
    {
        var readOnly = new Abilities("sid", Admin, Impersonating: true, ReadOnly: true);
        var writing = readOnly with { ReadOnly = false };

        foreach (var permission in Enum.GetValues<Permission>())
        {
            var granted = Admin.Allows(permission) && !RolePermissions.NotWhileImpersonating.Contains(permission);
            readOnly.Can(permission).Should().Be(granted && !RolePermissions.Changes.Contains(permission), $"a form guarded by {permission} is read-only");
            readOnly.CanRead(permission).Should().Be(granted, $"what {permission} guards is read, read-only or not");
            writing.Can(permission).Should().Be(granted, permission.ToString());
        }

        readOnly.CanChange(Permission.UseOrganizationData).Should().BeFalse("a note is a write, though the permission also reads");
        writing.CanChange(Permission.UseOrganizationData).Should().BeTrue();
        new Abilities("olivia", Owner, false).CanChange(Permission.EditOrganization).Should().BeTrue();
        readOnly.CanCreateKeys.Should().BeFalse();
        writing.CanCreateKeys.Should().BeFalse("no secret is ever shown to support");
        new Abilities("adam", Admin, false).CanCreateKeys.Should().BeTrue();
    }

    [Theory]
    [InlineData(GlobalRole.User, false)]
    [InlineData(GlobalRole.Support, true)]
    [InlineData(GlobalRole.SystemAdmin, true)]
    public void Support_staff_are_the_support_role_and_system_administrators(GlobalRole role, bool staff) =>
        role.IsSupportStaff().Should().Be(staff);

    [Theory]
    [InlineData(GlobalRole.User, false)]
    [InlineData(GlobalRole.Support, false)]
    [InlineData(GlobalRole.SystemAdmin, true)]
    public void Only_system_administrators_are_system_administrators(GlobalRole role, bool admin) =>
        role.IsSystemAdmin().Should().Be(admin);

    [Theory]
    [InlineData(GlobalRole.User, false, "Only support staff can impersonate an organization.")]
    [InlineData(GlobalRole.User, true, "Only support staff can impersonate an organization.")]
    [InlineData(GlobalRole.Support, false, null)]
    [InlineData(GlobalRole.Support, true, "Only system administrators can start an impersonation that may change data.")]
    [InlineData(GlobalRole.SystemAdmin, false, null)]
    [InlineData(GlobalRole.SystemAdmin, true, null)]
    public void Support_staff_impersonate_and_only_system_administrators_open_one_for_writing(GlobalRole role, bool writeEnabled, string? refusal)
    {
        var start = FluentActions.Invoking(() => role.RequireMayImpersonate(writeEnabled));

        if (refusal is null)
        {
            start.Should().NotThrow();
        }
        else
        {
            start.Should().Throw<DomainException>().Which.Message.Should().Be(refusal);
        }
    }

    [Theory]
    [InlineData(Door.Page, true)]
    [InlineData(Door.Api, false)]
    [InlineData(Door.Assistant, false)]
    [InlineData(Door.Job, false)]
    public void Only_a_persons_page_picks_up_an_open_impersonation(Door door, bool resumes)
    {
        var tenant = new TenantContext { Door = door };
        Access.MayResumeImpersonation(tenant).Should().BeFalse("nobody is signed in");

        tenant.SetUser("sid");

        Access.MayResumeImpersonation(tenant).Should().Be(resumes, door.ToString());
    }

    [Fact]
    public void Nothing_outside_the_organization_is_done_while_impersonating()
    {
        var tenant = new TenantContext();
        tenant.SetUser("sid");
        FluentActions.Invoking(() => Access.RequireNotImpersonating(tenant, DomainMessages.NotWhileImpersonating)).Should().NotThrow();

        tenant.BeginImpersonation(new MultiOrg.Domain.Support.ImpersonationGrant(Guid.NewGuid(), Guid.NewGuid(), "Acme", "Ticket 4711", DateTime.UtcNow.AddMinutes(30), false));

        FluentActions.Invoking(() => Access.RequireNotImpersonating(tenant, DomainMessages.NotWhileImpersonating))
            .Should().Throw<DomainException>().Which.Message.Should().Be(DomainMessages.NotWhileImpersonating);
        Access.AbilitiesOf(tenant).Should().Match<Abilities>(a => a.Impersonating && a.ReadOnly);
    }

    /// <summary>Own role × partner role → the role held in a partner's client (partner OWNERs act as the client's owners).</summary>
    public static TheoryData<OrganizationRole?, OrganizationRole?, OrganizationRole?> PartnerStaff => new()
    {
        { null, null, null },
        { Member, null, Member },
        { null, Owner, Owner }, { null, Admin, Admin }, { null, Member, Member },
        { Member, Owner, Owner }, { Owner, Member, Owner }, { Admin, Admin, Admin }, { Admin, Owner, Owner },
    };

    [Theory]
    [MemberData(nameof(PartnerStaff))]
    public void Partner_staff_hold_the_higher_of_their_own_role_and_their_partner_role_in_a_client(
        OrganizationRole? own, OrganizationRole? partnerRole, OrganizationRole? effective) =>
        Access.EffectiveRole(own, partnerRole).Should().Be(effective, $"own {own}, partner {partnerRole}");

    /// <summary>
    /// Partner role → in a client the partner runs: pays for it (credits, plan), the highest role given to a newcomer,
    /// and whether the page offers Leave (never without a membership of one's own).
    /// </summary>
    public static TheoryData<OrganizationRole, bool, OrganizationRole> PartnerStaffInAClient => new()
    {
        { Owner, true, Owner }, { Admin, true, Admin }, { Member, false, Member },
    };

    [Theory]
    [MemberData(nameof(PartnerStaffInAClient))]
    public void Partner_owners_and_admins_pay_for_a_client_and_name_its_admins_and_no_staff_is_offered_leave(
        OrganizationRole partnerRole, bool pays, OrganizationRole highestToGive)
    {
        var role = Access.EffectiveRole(null, partnerRole)!.Value;
        var reach = new Reach(false, partnerRole);

        Access.Allows(role, partnerRole, Permission.ManageBilling).Should().Be(pays, $"partner {partnerRole} buying for a client");
        Access.HighestRoleToGive(role, partnerRole).Should().Be(highestToGive);
        var page = new Abilities("paula", role, false, Reach: reach);
        (page.Can(Permission.ManageBilling), page.CanLeave).Should().Be((pays, false));
        new Abilities("paula", role, false, Reach: reach with { Member = true }).CanLeave.Should().BeTrue("with a membership of one's own, Leave is offered");
    }

    [Fact]
    public void Partner_staff_gain_only_billing_in_a_client_never_an_owners_other_rights()
    {
        Access.PartnerStaffGrants.Should().Equal(Permission.ManageBilling);
        foreach (var permission in Enum.GetValues<Permission>().Where(p => !Access.PartnerStaffGrants.Contains(p)))
        {
            Access.Allows(Admin, Admin, permission).Should().Be(Admin.Allows(permission), $"a partner ADMIN's {permission} in a client is the ADMIN row");
        }

        Access.Allows(Admin, null, Permission.ManageBilling).Should().BeFalse("an organization's own ADMIN still does not buy");
        Access.HighestRoleToGive(Admin, null).Should().Be(Member);
        new Abilities("sid", Admin, Impersonating: true, Reach: new Reach(false, null)).CanLeave.Should().BeFalse("an impersonation never leaves");
    }
}
