using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Accounting;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Clients;
/// <summary>The copy path: reading a source organization's configuration under its tenant and writing it into the new client.</summary>
public sealed partial class ClientOnboardingService
{
    private sealed record SourceSnapshot(
        List<Account> Accounts,
        List<TaxAuthority> TaxAuthorities,
        List<TaxCode> TaxCodes,
        List<PaymentTerm> PaymentTerms,
        List<Jurisdiction> Jurisdictions,
        List<AgentConfiguration> Agents,
        List<SkillFile> SkillFiles,
        LegalEntity? Entity,
        List<PostingProfile> PostingProfiles,
        List<TransactionTypeProfile> TransactionTypes,
        List<WorkflowDefinition> Workflows);

    private async Task<SourceSnapshot> ReadSourceAsync(Organization source, Guid? entityId, CancellationToken ct)
    {
        await using var db = dbFactory.CreateFor(TenantFor(source.Id, source.Name));
        LegalEntity? entity = null;
        if (entityId is { } id)
        {
            entity = await db.Set<LegalEntity>().AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct)
                ?? throw new DomainException(DomainErrorKind.NotFound, "The source entity does not belong to the source organization.", "sourceEntityId");
        }

        return new SourceSnapshot(
            await db.Set<Account>().AsNoTracking().ToListAsync(ct),
            await db.Set<TaxAuthority>().AsNoTracking().ToListAsync(ct),
            await db.Set<TaxCode>().AsNoTracking().ToListAsync(ct),
            await db.Set<PaymentTerm>().AsNoTracking().ToListAsync(ct),
            await db.Set<Jurisdiction>().AsNoTracking().ToListAsync(ct),
            await db.Set<AgentConfiguration>().AsNoTracking().Where(a => a.IsEnabled).ToListAsync(ct),
            await db.Set<SkillFile>().AsNoTracking().ToListAsync(ct),
            entity,
            entity is null ? [] : await db.Set<PostingProfile>().AsNoTracking().Where(p => p.LegalEntityId == entity.Id).ToListAsync(ct),
            entity is null ? [] : await db.Set<TransactionTypeProfile>().AsNoTracking().Where(p => p.LegalEntityId == entity.Id).ToListAsync(ct),
            entity is null ? [] : await db.Set<WorkflowDefinition>().AsNoTracking().Where(w => w.LegalEntityId == entity.Id)
                .Include(w => w.Steps).ThenInclude(s => s.Conditions).ToListAsync(ct));
    }

    private static void CopyConfiguration(IMultiOrgDb db, SourceSnapshot source, Dictionary<string, int> copied)
    {
        var numberById = source.Accounts.ToDictionary(a => a.Id, a => a.Number);
        AddAccounts(db, source.Accounts.Select(a => (a.Number, a.Name, a.Type,
            a.ParentAccountId is { } parent && numberById.TryGetValue(parent, out var parentNumber) ? parentNumber : null)), copied);

        var authorityIds = new Dictionary<Guid, Guid>();
        foreach (var authority in source.TaxAuthorities)
        {
            var row = new TaxAuthority { Name = authority.Name, CountryCode = authority.CountryCode, Region = authority.Region };
            authorityIds[authority.Id] = row.Id;
            db.Set<TaxAuthority>().Add(row);
        }

        foreach (var code in source.TaxCodes)
        {
            db.Set<TaxCode>().Add(new TaxCode
            {
                Code = code.Code, Name = code.Name, RatePercent = code.RatePercent, Direction = code.Direction,
                TaxAuthorityId = code.TaxAuthorityId is { } authority ? authorityIds[authority] : null,
            });
        }

        foreach (var term in source.PaymentTerms)
        {
            db.Set<PaymentTerm>().Add(new PaymentTerm { Code = term.Code, Name = term.Name, DueDays = term.DueDays, DiscountPercent = term.DiscountPercent, DiscountDays = term.DiscountDays });
        }

        foreach (var jurisdiction in source.Jurisdictions)
        {
            db.Set<Jurisdiction>().Add(new Jurisdiction { Code = jurisdiction.Code, Name = jurisdiction.Name, Kind = jurisdiction.Kind, CountryCode = jurisdiction.CountryCode, Region = jurisdiction.Region });
        }

        foreach (var agent in source.Agents)
        {
            db.Set<AgentConfiguration>().Add(new AgentConfiguration { AgentKey = agent.AgentKey, Name = agent.Name, IsEnabled = agent.IsEnabled, SettingsJson = agent.SettingsJson, WorkflowJson = agent.WorkflowJson });
        }

        foreach (var file in source.SkillFiles)
        {
            db.Set<SkillFile>().Add(new SkillFile { Path = file.Path, Content = file.Content });
        }

        copied["taxAuthorities"] = source.TaxAuthorities.Count;
        copied["taxCodes"] = source.TaxCodes.Count;
        copied["paymentTerms"] = source.PaymentTerms.Count;
        copied["jurisdictions"] = source.Jurisdictions.Count;
        copied["agentConfigurations"] = source.Agents.Count;
        copied["skillFiles"] = source.SkillFiles.Count;
    }

    /// <summary>Layer 3, in its own transaction: the entity with its profiles (accounts translated by number) and workflows.</summary>
    private async Task CopyEntityAsync(Guid clientId, string clientName, SourceSnapshot source, Dictionary<string, int> copied, CancellationToken ct)
    {
        var entity = source.Entity!;
        await using var db = dbFactory.CreateFor(TenantFor(clientId, clientName));
        var (transactionTypes, steps, conditions) = await db.WriteAsync(
            async ct =>
            {
                var newEntity = new LegalEntity { Code = entity.Code, Name = entity.Name, CountryCode = entity.CountryCode, CurrencyCode = entity.CurrencyCode };
                db.Set<LegalEntity>().Add(newEntity);

                var sourceNumbers = source.Accounts.ToDictionary(a => a.Id, a => a.Number);
                var newAccounts = await db.Set<Account>().ToDictionaryAsync(a => a.Number, a => a.Id, ct);
                Guid Translate(Guid sourceAccountId, string profile) =>
                    sourceNumbers.TryGetValue(sourceAccountId, out var number) && newAccounts.TryGetValue(number, out var id)
                        ? id
                        : throw new InvalidOperationException($"Posting profile '{profile}' maps to an account the new chart of accounts does not have.");

                foreach (var profile in source.PostingProfiles)
                {
                    db.Set<PostingProfile>().Add(new PostingProfile
                    {
                        LegalEntityId = newEntity.Id,
                        Name = profile.Name,
                        DebitAccountId = Translate(profile.DebitAccountId, profile.Name),
                        CreditAccountId = Translate(profile.CreditAccountId, profile.Name),
                    });
                }

                var transactionTypes = source.TransactionTypes.DistinctBy(t => (t.Name, t.TransactionType)).ToList();
                foreach (var type in transactionTypes)
                {
                    db.Set<TransactionTypeProfile>().Add(new TransactionTypeProfile { LegalEntityId = newEntity.Id, Name = type.Name, TransactionType = type.TransactionType });
                }

                var steps = 0;
                var conditions = 0;
                foreach (var workflow in source.Workflows)
                {
                    var newWorkflow = new WorkflowDefinition { LegalEntityId = newEntity.Id, Name = workflow.Name };
                    db.Set<WorkflowDefinition>().Add(newWorkflow);
                    var stepIds = workflow.Steps.ToDictionary(s => s.Id, _ => Guid.CreateVersion7());
                    foreach (var step in workflow.Steps.OrderBy(s => s.Sequence))
                    {
                        var newStep = new WorkflowStep
                        {
                            Id = stepIds[step.Id],
                            WorkflowDefinitionId = newWorkflow.Id,
                            ParentStepId = step.ParentStepId is { } parent ? stepIds[parent] : null,
                            Sequence = step.Sequence,
                            Name = step.Name,
                        };
                        db.Set<WorkflowStep>().Add(newStep);
                        steps++;
                        foreach (var condition in step.Conditions)
                        {
                            db.Set<WorkflowCondition>().Add(new WorkflowCondition { WorkflowStepId = newStep.Id, Field = condition.Field, Operator = condition.Operator, Value = condition.Value });
                            conditions++;
                        }
                    }
                }

                db.AuditAs(OnboardingRecord.EntityCopiedAction, nameof(LegalEntity), newEntity.Id.ToString(), new { sourceEntity = entity.Code, postingProfiles = source.PostingProfiles.Count, workflows = source.Workflows.Count });
                await db.SaveChangesAsync(ct);
                if (BeforeCommit is not null)
                {
                    await BeforeCommit(OnboardingLayer.EntityConfiguration);
                }

                return (transactionTypes, steps, conditions);
            },
            ct);
        copied["legalEntities"] = 1;
        copied["postingProfiles"] = source.PostingProfiles.Count;
        copied["transactionTypeProfiles"] = transactionTypes.Count;
        copied["workflowDefinitions"] = source.Workflows.Count;
        copied["workflowSteps"] = steps;
        copied["workflowConditions"] = conditions;
    }
}
