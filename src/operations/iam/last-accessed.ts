/**
 * Service last accessed data: GenerateServiceLastAccessedDetails is authorized against the user, group, role
 * or policy it reports on, reading the attempts its entities made from the audit trail; the reads of a job's
 * report on `*`, as AWS does; ListPoliciesGrantingServiceAccess (access advisor's other view) on the entity.
 * Registered beside `iamOperations` because it also needs the audit trail.
 */
import type { AuditTrail } from '../../audit/trail.js';
import type { Operation } from '../../core/operation.js';
import type { OperationWith } from '../registry.js';
import type {
  GenerateServiceLastAccessedDetailsRequest,
  GenerateServiceLastAccessedDetailsResponse,
  GetServiceLastAccessedDetailsRequest,
  GetServiceLastAccessedDetailsResponse,
  GetServiceLastAccessedDetailsWithEntitiesRequest,
  GetServiceLastAccessedDetailsWithEntitiesResponse,
  ListPoliciesGrantingServiceAccessRequest,
  ListPoliciesGrantingServiceAccessResponse,
} from '../../contracts/wire/iam.js';
import { TRACKING_DAYS } from '../../iam/last-accessed.js';
import type { IamOperationServices } from './common.js';
import { paginate } from './pagination.js';

export type LastAccessedServices = IamOperationServices & { audit: AuditTrail };

type Op<I, O> = Operation<LastAccessedServices, I, O>;

const DAY_MS = 24 * 60 * 60 * 1000;

const generate: Op<GenerateServiceLastAccessedDetailsRequest, GenerateServiceLastAccessedDetailsResponse> = {
  service: 'iam',
  name: 'GenerateServiceLastAccessedDetails',
  mutates: false,
  access: (i) => [{ action: 'iam:GenerateServiceLastAccessedDetails', resource: i.Arn }],
  handler: async (i, c) => {
    const { lastAccessed } = c.services.iam;
    const subject = await lastAccessed.subject(c.caller.accountId, i.Arn);
    const since = new Date(c.facts.now.getTime() - TRACKING_DAYS * DAY_MS);
    const seen = await c.services.audit.serviceAttempts(
      c.caller.accountId,
      since,
      new Set(subject.entities.map((e) => e.Arn)),
    );
    return {
      JobId: await lastAccessed.generate(c.caller.accountId, subject, i.Granularity ?? 'SERVICE_LEVEL', seen),
    };
  },
};

const details: Op<GetServiceLastAccessedDetailsRequest, GetServiceLastAccessedDetailsResponse> = {
  service: 'iam',
  name: 'GetServiceLastAccessedDetails',
  mutates: false,
  access: () => [{ action: 'iam:GetServiceLastAccessedDetails', resource: '*' }],
  handler: async (i, c) => {
    const { services, ...job } = await c.services.iam.lastAccessed.details(c.caller.accountId, i.JobId);
    return { ...job, ...paginate(services, i, 'ServicesLastAccessed') };
  },
};

const withEntities: Op<
  GetServiceLastAccessedDetailsWithEntitiesRequest,
  GetServiceLastAccessedDetailsWithEntitiesResponse
> = {
  service: 'iam',
  name: 'GetServiceLastAccessedDetailsWithEntities',
  mutates: false,
  access: () => [{ action: 'iam:GetServiceLastAccessedDetailsWithEntities', resource: '*' }],
  handler: async (i, c) => {
    const { entities, ...job } = await c.services.iam.lastAccessed.entities(
      c.caller.accountId,
      i.JobId,
      i.ServiceNamespace,
    );
    return { ...job, ...paginate(entities, i, 'EntityDetailsList') };
  },
};

/** Which of the entity's policies grant each service: authorized against the entity, as AWS does. */
const policiesGranting: Op<ListPoliciesGrantingServiceAccessRequest, ListPoliciesGrantingServiceAccessResponse> = {
  service: 'iam',
  name: 'ListPoliciesGrantingServiceAccess',
  mutates: false,
  access: (i) => [{ action: 'iam:ListPoliciesGrantingServiceAccess', resource: i.Arn }],
  handler: async (i, c) => ({
    PoliciesGrantingServiceAccess: await c.services.iam.lastAccessed.policiesGrantingServiceAccess(
      c.caller.accountId,
      i.Arn,
      i.ServiceNamespaces,
    ),
    // Ten namespaces at most: the answer is never long enough to page.
    IsTruncated: false,
  }),
};

export const lastAccessedOperations: OperationWith<LastAccessedServices>[] = [
  generate,
  details,
  withEntities,
  policiesGranting,
];
