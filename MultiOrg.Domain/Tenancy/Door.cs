namespace MultiOrg.Domain.Tenancy;

/// <summary>The way an action came in; recorded with every audited change.</summary>
public enum Door
{
    Page,
    Api,
    ApiKey,
    Assistant,

    /// <summary>An organization's identity provider, through its SCIM token (directory sync).</summary>
    Directory,

    /// <summary>A background job of the application itself (audit retention), with no person behind it.</summary>
    Job,
}
