/**
 * One migration set for every dialect, applied in name order at start. Each area adds its own file
 * (`0001-iam.ts`, `0002-organizations.ts`, `0003-billing.ts`, …) and one line here.
 */
import type { Migration } from 'kysely';
import { iamMigration } from './0001-iam.js';
import { organizationsMigration } from './0002-organizations.js';
import { billingMigration } from './0003-billing.js';
import { stsMigration } from './0004-sts.js';
import { auditMigration } from './0005-audit.js';
import { consoleMigration } from './0006-console.js';
import { accountMigration } from './0007-account.js';
import { iamPasswordHistoryMigration } from './0008-iam-password-history.js';
import { costPartitionsMigration } from './0009-cost-partitions.js';
import { curMigration } from './0010-cur.js';
import { costAllocationTagsMigration } from './0011-cost-allocation-tags.js';
import { bcmDataExportsMigration } from './0012-bcm-data-exports.js';
import { serverSecretsMigration } from './0013-server-secrets.js';
import { consoleSigninThrottleMigration } from './0014-console-signin-throttle.js';
import { policyDefaultVersionMigration } from './0015-policy-default-version.js';
import { iamInstanceProfilesMigration } from './0016-iam-instance-profiles.js';
import { iamCredentialsMigration } from './0017-iam-credentials.js';
import { iamOidcProvidersMigration } from './0018-iam-oidc-providers.js';
import { iamSamlProvidersMigration } from './0019-iam-saml-providers.js';
import { budgetTagsMigration } from './0020-budget-tags.js';
import { organizationsServiceAccessMigration } from './0021-organizations-service-access.js';
import { costPartsMigration } from './0022-cost-parts.js';
import { costCategoriesMigration } from './0023-cost-categories.js';
import { iamStsPreferencesMigration } from './0024-iam-sts-preferences.js';
import { budgetActionsMigration } from './0025-budget-actions.js';
import { bcmExportExecutionsMigration } from './0026-bcm-export-executions.js';
import { stsFederatedUsersMigration } from './0027-sts-federated-users.js';
import { iamOrganizationsAccessReportsMigration } from './0028-iam-organizations-access-reports.js';
import { ceAnomaliesMigration } from './0029-ce-anomalies.js';
import { ceCostCategoryVersionsMigration } from './0030-ce-cost-category-versions.js';
import { organizationsHandshakesMigration } from './0031-organizations-handshakes.js';
import { stsSessionTagsMigration } from './0032-sts-session-tags.js';
import { costPartTagKeysMigration } from './0033-cost-part-tag-keys.js';

export const migrations: Record<string, Migration> = {
  '0001-iam': iamMigration,
  '0002-organizations': organizationsMigration,
  '0003-billing': billingMigration,
  '0004-sts': stsMigration,
  '0005-audit': auditMigration,
  '0006-console': consoleMigration,
  '0007-account': accountMigration,
  '0008-iam-password-history': iamPasswordHistoryMigration,
  '0009-cost-partitions': costPartitionsMigration,
  '0010-cur': curMigration,
  '0011-cost-allocation-tags': costAllocationTagsMigration,
  '0012-bcm-data-exports': bcmDataExportsMigration,
  '0013-server-secrets': serverSecretsMigration,
  '0014-console-signin-throttle': consoleSigninThrottleMigration,
  '0015-policy-default-version': policyDefaultVersionMigration,
  '0016-iam-instance-profiles': iamInstanceProfilesMigration,
  '0017-iam-credentials': iamCredentialsMigration,
  '0018-iam-oidc-providers': iamOidcProvidersMigration,
  '0019-iam-saml-providers': iamSamlProvidersMigration,
  '0020-budget-tags': budgetTagsMigration,
  '0021-organizations-service-access': organizationsServiceAccessMigration,
  '0022-cost-parts': costPartsMigration,
  '0023-cost-categories': costCategoriesMigration,
  '0024-iam-sts-preferences': iamStsPreferencesMigration,
  '0025-budget-actions': budgetActionsMigration,
  '0026-bcm-export-executions': bcmExportExecutionsMigration,
  '0027-sts-federated-users': stsFederatedUsersMigration,
  '0028-iam-organizations-access-reports': iamOrganizationsAccessReportsMigration,
  '0029-ce-anomalies': ceAnomaliesMigration,
  '0030-ce-cost-category-versions': ceCostCategoryVersionsMigration,
  '0031-organizations-handshakes': organizationsHandshakesMigration,
  '0032-sts-session-tags': stsSessionTagsMigration,
  '0033-cost-part-tag-keys': costPartTagKeysMigration,
};
