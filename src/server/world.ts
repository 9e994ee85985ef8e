/**
 * The composition root's object graph over one open store: the IAM domain, principal resolution, the
 * STS sessions, the audit trail, the operations registry and the one invoke(). `POST /_bursar/reset`
 * (ephemeral mode) throws a world away and builds a fresh one.
 */
import { accountAreaOperations } from '../account/index.js';
import { createApiHandler, type ApiRequest, type ApiResponse } from '../api/handler.js';
import { serviceModels } from '../models/services/index.js';
import { Billing } from '../billing/billing.js';
import { importCostData } from '../billing/import/import-operation.js';
import { storeOrganizationLookup } from '../billing/cost-scope.js';
import { billingConsoleOperations, billingConsoleServices } from '../billing-console/index.js';
import { catalog } from '../catalog/index.js';
import { iamConsoleAccounts } from '../console/iam-accounts.js';
import { CONSOLE_OPERATIONS } from '../console/operations.js';
import type { ConsoleAccounts } from '../console/ports.js';
import type { AccessKeyService } from '../iam/access-keys.js';
import type { AccountService } from '../iam/accounts.js';
import type { IamContext } from '../iam/context.js';
import { createIamServices, type IamServices } from '../iam/index.js';
import { AuditTrail } from '../operations/audit.js';
import { lookupEvents } from '../operations/audit-lookup.js';
import { creditsOperations } from '../operations/bills/credits.js';
import { budgetsOperations } from '../operations/budgets/operations.js';
import { costAllocationTagOperations } from '../operations/ce/cost-allocation-tags.js';
import { costExplorerOperations } from '../operations/ce/operations.js';
import { curOperations } from '../operations/cur/operations.js';
import { ReportDefinitions } from '../cur/report-definitions.js';
import { dataExportsOperations } from '../operations/bcm-data-exports/operations.js';
import { DataExports } from '../cur/data-exports.js';
import { savedReportOperations } from '../operations/ce/saved-reports.js';
import { iamOperations } from '../operations/iam/operations.js';
import { organizationsOperations } from '../operations/organizations/operations.js';
import { paymentsLedgerOperations } from '../operations/payments/ledger.js';
import { PaymentsLedger } from '../payments-ledger/ledger.js';
import { PaymentMethods } from '../payments/payment-methods.js';
import { createInvoke, type AccountRule, type Invoke } from '../operations/invoke.js';
import { OperationRegistry } from '../operations/registry.js';
import { serviceUnavailable } from '../core/errors.js';
import { stsOperations, type StsServices } from '../operations/sts/operations.js';
import { StsSessions } from '../operations/sts/sessions.js';
import type { Clock } from '../platform/clock.js';
import type { IdSource } from '../platform/ids.js';
import type { Logger } from '../platform/logger.js';
import { processSecretBox, type SecretBox } from '../platform/secrets.js';
import { iamMemberAccountProvisioner } from '../organizations/iam-provisioner.js';
import { Organizations } from '../organizations/organizations.js';
import { createPolicyChains } from '../organizations/policy-chain.js';
import type { OpenedDatabase } from '../store/database.js';
import { createAuthority } from './authority.js';
import { createKeyLookup } from './key-lookup.js';

export interface WorldOptions {
  database: OpenedDatabase;
  clock: Clock;
  ids: IdSource;
  logger: Logger;
  region: string;
  /** scrypt cost for passwords; tests lower it. */
  passwordHashCost?: number;
  accountRules?: AccountRule[];
  /** Seals access-key and STS secrets and MFA seeds at rest: the server's master key (tests: the process's). */
  secrets?: SecretBox;
  /** True once the server is stopping: calls not yet started are refused with a retryable ServiceUnavailable. */
  isDraining?: () => boolean;
}

export interface World {
  database: OpenedDatabase;
  iam: IamContext;
  iamServices: IamServices;
  accounts: AccountService;
  accessKeys: AccessKeyService;
  registry: OperationRegistry;
  invoke: Invoke;
  consoleAccounts: ConsoleAccounts;
  handleApi: (request: ApiRequest) => Promise<ApiResponse>;
  /** Resolves when no invoke() is running (a stopping server waits for it before closing the store). */
  whenIdle: () => Promise<void>;
  audit: AuditTrail;
  billing: Billing;
}

export async function buildWorld(options: WorldOptions): Promise<World> {
  const { database, clock, ids, logger } = options;
  const secrets = options.secrets ?? processSecretBox;
  const db = database.db;
  const sharedStore = database.dialect === 'postgres';
  const actions = catalog();
  const chains = createPolicyChains(db, { cache: !sharedStore });
  const iamServices = await createIamServices({
    db,
    clock,
    ids,
    sharedStore,
    secrets,
    scpChainFor: (accountId) => chains.scpChainFor(accountId),
    ...(options.passwordHashCost === undefined ? {} : { passwordHashCost: options.passwordHashCost }),
  });
  const iam = iamServices.context;
  const { accounts, accessKeys, resolver } = iamServices;
  const organizations = new Organizations({
    db,
    clock,
    ids,
    provisioner: iamMemberAccountProvisioner(ids, clock),
    catalog: actions,
    onChainsChanged: (accountIds) => {
      chains.invalidate(accountIds);
      resolver.invalidate(accountIds);
    },
  });
  await organizations.load();
  const billing = new Billing(db, database.dialect, storeOrganizationLookup(db));
  const sts = new StsSessions(db, clock, ids, secrets);
  // Expired temporary credentials are refused anyway; starting up is a good moment to forget them.
  await sts.purgeExpired(clock.now());
  const keys = createKeyLookup(iam, accessKeys, sts);
  const authority = createAuthority(
    iam,
    resolver,
    (caller) => keys.sessionPolicyOf(caller),
    async (resourceArn) => (await iamServices.findRole(resourceArn))?.trustPolicy,
  );
  const audit = new AuditTrail(db, ids, logger);

  const stsServices: StsServices = {
    sts,
    findRole: (roleArn) => iamServices.findRole(roleArn),
    verifyMfa: (caller, serialNumber, code, now) => iamServices.verifyMfa(caller, serialNumber, code, now),
  };

  const billingConsole = billingConsoleServices({ db, clock, authority, region: options.region });
  const registry = new OperationRegistry().register(
    ...iamOperations,
    ...stsOperations,
    lookupEvents,
    ...organizationsOperations,
    ...costExplorerOperations,
    ...curOperations(new ReportDefinitions(db, clock)),
    ...dataExportsOperations(new DataExports(db, clock)),
    ...budgetsOperations,
    importCostData,
    ...savedReportOperations,
    ...creditsOperations,
    ...costAllocationTagOperations,
    ...paymentsLedgerOperations(new PaymentsLedger(db, billing, new PaymentMethods(db, clock, ids))),
    ...CONSOLE_OPERATIONS,
    ...billingConsoleOperations(billingConsole),
    ...accountAreaOperations({
      db,
      clock,
      ids,
      billing,
      organizationOf: (accountId) => organizations.directory.organizationOf(accountId),
    }),
  );
  const decide = createInvoke({
    registry,
    services: { ...stsServices, iam: iamServices, audit, organizations, billing },
    authority,
    audit,
    models: serviceModels,
    logger,
    defaultRegion: options.region,
    // The Billing console's page gates and IAM-access switch, for every call: no operation opts in.
    accountRules: [billingConsole.billingConsoleGate.rule, ...(options.accountRules ?? [])],
  });
  const isDraining = options.isDraining ?? (() => false);
  // Calls and API requests still running (a request reads its key from the store before it reaches invoke()).
  let running = 0;
  const onIdle: (() => void)[] = [];
  const tracked = async <T>(work: () => Promise<T>): Promise<T> => {
    running++;
    try {
      return await work();
    } finally {
      running--;
      if (running === 0) for (const resolve of onIdle.splice(0)) resolve();
    }
  };
  const whenIdle = () => (running === 0 ? Promise.resolve() : new Promise<void>((resolve) => onIdle.push(resolve)));
  const invoke: Invoke = (...call) =>
    isDraining() ? Promise.reject(serviceUnavailable()) : tracked(() => decide(...call));
  const handleRequest = createApiHandler({
    models: serviceModels,
    invoke,
    lookupKey: (id) => keys.lookup(id),
    clock,
    ids,
    logger,
    onAuthenticated: (key, parts, at) => {
      if (!key.accessKeyId.startsWith('AKIA')) return;
      accessKeys.recordUse(key.accessKeyId, parts.service, parts.region, at).catch((error: unknown) => {
        logger.warn('access key last-used not recorded', { error: String(error) });
      });
    },
  });
  const handleApi = (request: ApiRequest) => tracked(() => handleRequest(request));
  const consoleAccounts = iamConsoleAccounts(iam, accounts);
  return {
    database,
    iam,
    iamServices,
    accounts,
    accessKeys,
    registry,
    invoke,
    consoleAccounts,
    handleApi,
    whenIdle,
    audit,
    billing,
  };
}
