/**
 * IAM's API operations (Query protocol, version 2010-05-08) over the IAM area, one file per part of IAM.
 * Member names are those of AWS's model (src/contracts/wire/iam.ts); the action is `iam:<Operation>`; the
 * resource is the ARN AWS authorizes against (common.ts).
 */
import type { OperationWith } from '../registry.js';
import { accessKeyOperations } from './access-keys.js';
import { accountOperations } from './account.js';
import type { IamOperationServices } from './common.js';
import { entityPolicyOperations } from './entity-policies.js';
import { groupOperations } from './groups.js';
import { instanceProfileOperations } from './instance-profiles.js';
import { loginProfileOperations } from './login-profiles.js';
import { mfaOperations } from './mfa.js';
import { oidcProviderOperations } from './oidc-providers.js';
import { samlProviderOperations } from './saml-providers.js';
import { policyOperations } from './policies.js';
import { roleOperations } from './roles.js';
import { simulationOperations } from './simulation.js';
import { tagOperations } from './tags.js';
import { userOperations } from './users.js';
import { contextKeyOperations } from './context-keys.js';
import { serverCertificateOperations } from './server-certificates.js';
import { serviceLinkedRoleOperations } from './service-linked-roles.js';
import { serviceSpecificCredentialOperations } from './service-specific-credentials.js';
import { signingCertificateOperations } from './signing-certificates.js';
import { sshPublicKeyOperations } from './ssh-public-keys.js';

export type { IamOperationServices } from './common.js';

export const iamOperations: OperationWith<IamOperationServices>[] = [
  ...userOperations,
  ...groupOperations,
  ...roleOperations,
  ...instanceProfileOperations,
  ...policyOperations,
  ...entityPolicyOperations,
  ...tagOperations,
  ...loginProfileOperations,
  ...accessKeyOperations,
  ...mfaOperations,
  ...accountOperations,
  ...simulationOperations,
  ...sshPublicKeyOperations,
  ...signingCertificateOperations,
  ...serviceSpecificCredentialOperations,
  ...serverCertificateOperations,
  ...serviceLinkedRoleOperations,
  ...contextKeyOperations,
  ...oidcProviderOperations,
  ...samlProviderOperations,
];
