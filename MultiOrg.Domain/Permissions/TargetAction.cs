namespace MultiOrg.Domain.Permissions;

/// <summary>An action on one member or key, governed by the target-role rule (<see cref="Access.MayActOn"/>).</summary>
public enum TargetAction
{
    RemoveMember,
    SignOutEverywhere,
    RevokeApiKey,
}
