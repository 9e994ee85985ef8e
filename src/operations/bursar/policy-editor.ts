/**
 * Bursar's own operations behind the console's policy editor: the service catalog (Choose a service,
 * actions by access level) and the policy validator's findings as you type. The catalog is public data, so
 * it needs no permission, like the console's static help; validation costs the server work in proportion to
 * the document, so it asks for the permission AWS's equivalent asks (Access Analyzer's ValidatePolicy).
 */
import { catalog } from '../../catalog/index.js';
import { validationError } from '../../core/errors.js';
import type { Operation } from '../../core/operation.js';
import type { Finding, ServiceAction, ServiceSummary } from '../../contracts/console.js';
import { POLICY_KINDS, validatePolicy, type PolicyKind } from '../../policy/validate.js';

const POLICY_DOCUMENT_MAX = 131_072;

type Op = Operation<unknown, Record<string, unknown>, Record<string, unknown>>;

const PUBLIC_HELP = { none: "Reads only the public action catalog or checks the caller's own draft." };

const searchServices: Op = {
  service: 'bursar',
  name: 'SearchServices',
  access: PUBLIC_HELP,
  mutates: false,
  async handler(input) {
    const text = typeof input.Text === 'string' ? input.Text : '';
    const services = catalog()
      .searchServices(text)
      .map((s): ServiceSummary => ({ Prefix: s.prefix, Name: s.name, DisplayName: s.displayName }))
      .sort((a, b) => a.DisplayName.localeCompare(b.DisplayName));
    return { Services: services };
  },
};

const listServiceActions: Op = {
  service: 'bursar',
  name: 'ListServiceActions',
  access: PUBLIC_HELP,
  mutates: false,
  async handler(input) {
    if (typeof input.Prefix !== 'string') throw validationError('Prefix is required.');
    const service = catalog().describeService(input.Prefix);
    if (service === undefined) throw validationError(`Unknown service prefix: ${input.Prefix}`);
    return {
      Service: {
        Prefix: service.prefix,
        Name: service.name,
        DisplayName: service.displayName,
      } satisfies ServiceSummary,
      Actions: catalog()
        .actions(service.prefix)
        .map((a): ServiceAction => ({
          Action: a.action,
          Name: a.name,
          AccessLevel: a.accessLevel,
          Description: a.description,
        })),
    };
  },
};

const validatePolicyDocument: Op = {
  service: 'bursar',
  name: 'ValidatePolicyDocument',
  // ValidatePolicy has no resource type in the Service Authorization Reference: it is authorized on `*`.
  access: () => [{ action: 'access-analyzer:ValidatePolicy', resource: '*' }],
  mutates: false,
  async handler(input) {
    if (typeof input.PolicyDocument !== 'string') throw validationError('PolicyDocument is required.');
    // IAM's own bound on a policy document (policyDocumentType): past it, no policy could be saved anyway.
    if (input.PolicyDocument.length > POLICY_DOCUMENT_MAX) {
      throw validationError(
        `1 validation error detected: Value at 'policyDocument' failed to satisfy constraint: Member must have length less than or equal to ${POLICY_DOCUMENT_MAX}`,
      );
    }
    const kind = (input.PolicyKind ?? 'managed') as PolicyKind;
    if (!POLICY_KINDS.includes(kind)) throw validationError(`PolicyKind must be one of ${POLICY_KINDS.join(', ')}.`);
    const findings = validatePolicy(input.PolicyDocument, kind, catalog());
    return {
      Findings: findings.map((f): Finding => ({
        FindingType: f.findingType,
        IssueCode: f.issueCode,
        FindingDetails: f.findingDetails,
        Path: f.path,
        ...(f.learnMoreLink === undefined ? {} : { LearnMoreLink: f.learnMoreLink }),
      })),
    };
  },
};

export const CONSOLE_OPERATIONS: readonly Op[] = [searchServices, listServiceActions, validatePolicyDocument];
