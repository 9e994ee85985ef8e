/**
 * AWS Organizations' API operations (JSON 1.1, `AWSOrganizationsV20161128.*`) over the Organizations area,
 * one file per family. Member names are those of AWS's model; actions are `organizations:<Operation>`;
 * resources are the ARNs of the Service Authorization Reference (`…:account/o-…/<id>`, `…:ou/o-…/ou-…`,
 * `…:root/o-…/r-…`, `…:policy/o-…/<type>/p-…`, AWS managed policies under `arn:aws:organizations::aws:policy/…`).
 */
import { invalidModelInput } from '../../organizations/errors.js';
import type { OperationWith } from '../registry.js';
import { accountOperations } from './accounts.js';
import type { OrganizationsServices } from './common.js';
import { handshakeOperations } from './handshakes.js';
import { organizationOperations } from './organization.js';
import { policyOperations } from './policies.js';
import { serviceAccessOperations } from './service-access.js';
import { unitOperations } from './units.js';

export type { OrganizationsServices } from './common.js';

/** Every Organizations operation Bursar serves; input the model refuses is answered in Organizations' terms. */
export const organizationsOperations: OperationWith<OrganizationsServices>[] = [
  ...organizationOperations,
  ...unitOperations,
  ...accountOperations,
  ...policyOperations,
  ...serviceAccessOperations,
  ...handshakeOperations,
].map((op) => ({ ...op, invalidInput: invalidModelInput }));
