/**
 * The composition root's object graph over one open store: the IAM domain, principal resolution, the
 * STS sessions, the audit trail, the operations registry and the one invoke(). `POST /_bursar/reset`
 * (ephemeral mode) throws a world away and builds a fresh one.
 */
import { createApiHandler, type ApiRequest, type ApiResponse } from '../api/handler.js';
import { serviceModels } from '../models/services/index.js';
import { Billing, type BillingCostOptions } from '../billing/billing.js';
import { importCostData } from '../operations/bursar/import-cost-data.js';
import { billingDirectory } from '../organizations/billing-directory.js';
import { BillingConsoleGate } from '../billing/console-gates/gate.js';
import { BillingConsoleSettingsStore } from '../billing/console-gates/settings.js';
import { AccountContacts } from '../billing/account/contacts.js';
import { TaxSettings } from '../billing/payments/tax-settings.js';
import { billingConsoleOperations, type BillingConsoleServices } from '../operations/billing-console/operations.js';
import { accountOperations } from '../operations/account/operations.js';
import { billsOperations } from '../operations/bills/operations.js';
import { paymentOperations } from '../operations/payments/operations.js';
import { taxSettingsOperations } from '../operations/taxsettings/operations.js';
import { Bills } from '../billing/bills/bills.js';
import { catalog } from '../catalog/index.js';
import { iamConsoleAccounts } from '../console/iam-accounts.js';
import { CONSOLE_OPERATIONS } from '../operations/bursar/policy-editor.js';
import type { ConsoleAccounts } from '../console/ports.js';
import type { AccessKeyService } from '../iam/access-keys.js';
import type { AccountService } from '../iam/accounts.js';
import type { IamContext } from '../iam/context.js';
import { createIamServices, type IamServices } from '../iam/index.js';
import { AuditTrail } from '../audit/trail.js';
import { lookupEvents } from '../operations/cloudtrail/lookup-events.js';
import { stsCredentialRules } from '../operations/sts/credential-rules.js';
import { creditsOperations } from '../operations/bills/credits.js';
import { budgetsOperations } from '../operations/budgets/operations.js';
import { budgetActionOperations } from '../operations/budgets/actions.js';
import type { BudgetsAgent } from '../operations/budgets/action-runner.js';
import { costAllocationTagOperations } from '../operations/ce/cost-allocation-tags.js';
import { costExplorerOperations } from '../operations/ce/operations.js';
import { costCategoryOperations } from '../operations/ce/cost-categories.js';
import { anomalyOperations } from '../operations/ce/anomalies.js';
import { ceResourceTagOperations } from '../operations/ce/resource-tags.js';
import { CostCategories } from '../billing/costs/cost-categories.js';
import { AnomalyMonitors } from '../billing/costs/anomalies.js';
import { CeResourceTags } from '../billing/costs/ce-resource-tags.js';
import { curOperations } from '../operations/cur/operations.js';
import { ReportDefinitions } from '../billing/reports/report-definitions.js';
import { dataExportsOperations } from '../operations/bcm-data-exports/operations.js';
import { DataExports } from '../billing/reports/data-exports.js';
import { configuredExportDestination, ExportDeliveries } from '../billing/reports/export-delivery.js';
import type { BlobStore } from '../billing/costs/blobs/blob-store.js';
import { savedReportOperations } from '../operations/bursar/saved-reports.js';
import { accessMatrixOperations, recordAccessChanges } from '../operations/bursar/access-matrix.js';
import { whoCanOperations } from '../operations/bursar/who-can.js';
import { scenarioOperations } from '../operations/bursar/scenario.js';
import { iamListOperations } from '../operations/bursar/iam-lists.js';
import { iamOperations } from '../operations/iam/index.js';
import { lastAccessedOperations } from '../operations/iam/last-accessed.js';
import { organizationsAccessOperations } from '../operations/iam/organizations-access.js';
import { organizationsOperations } from '../operations/organizations/operations.js';
import { paymentsLedgerOperations } from '../operations/payments/ledger.js';
import { PaymentsLedger } from '../billing/payments/ledger.js';
import { PaymentMethods } from '../billing/payments/payment-methods.js';
import { createEvaluator, createInvoke, type Invoke } from '../operations/invoke.js';
import { OperationRegistry } from '../operations/registry.js';
import { serviceUnavailable } from '../core/errors.js';
import { stsOperations, type StsServices } from '../operations/sts/operations.js';
import { StsSessions } from '../iam/sts/sessions.js';
import { fetchJsonOverHttp, WebIdentityVerifier, type FetchJson } from '../iam/sts/web-identity.js';
import { SamlVerifier } from '../iam/sts/saml.js';
import { AuthorizationMessages } from '../operations/authorization-messages.js';
import type { Clock } from '../platform/clock.js';
import type { IdSource } from '../platform/ids.js';
import type { Logger } from '../platform/logger.js';
import { processSecretBox, type SecretBox } from '../platform/secrets.js';
import { iamMemberAccountProvisioner } from '../iam/member-accounts.js';
import { Organizations } from '../organizations/organizations.js';
import { createPolicyChains } from '../organizations/policy-chain.js';
import type { OpenedDatabase } from '../store/database.js';
import { createAuthority } from './authority.js';
import { createKeyLookup } from './key-lookup.js';
import type { AccountRule } from '../core/access.js';

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
  /** Accept `http://` OIDC issuers on a loopback host (test issuers); AWS accepts only https. */
  allowHttpLoopbackIssuers?: boolean;
  /** How an OIDC issuer's discovery document and keys are fetched (tests may stub the network). */
  fetchJson?: FetchJson;
  /** Where cost parts live and DuckDB's memory cap (default: a temporary directory for this database). */
  costs?: BillingCostOptions;
  /** Where exports deliver their files (default: a temporary directory for this world). */
  exportDestination?: BlobStore;
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
  /** Runs exports' executions: on demand, and the scheduler's daily run (`runDue`). */
  exportDeliveries: ExportDeliveries;
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
    allowHttpLoopbackIssuers: options.allowHttpLoopbackIssuers === true,
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
  // Billing asks Organizations through its ports (cost scopes, a member account's first console settings).
  const directory = billingDirectory(db);
  const billing = new Billing(db, database.dialect, directory, undefined, ids, options.costs);
  // Cost data stored before the blob store moves into it once; a killed import's blobs are deleted.
  const costs = await billing.start();
  if (costs.backfilled > 0 || costs.tagKeysListed > 0 || costs.orphans > 0) logger.info('cost parts at start', costs);
  const sts = new StsSessions(db, clock, ids, secrets);
  // Expired temporary credentials are refused anyway; starting up is a good moment to forget them.
  await sts.purgeExpired(clock.now());
  const keys = createKeyLookup(iam, accessKeys, sts);
  const authority = createAuthority(
    iam,
    resolver,
    (caller) => keys.sessionOf(caller),
    // A role's trust policy, or the resource policy of the organization an Organizations ARN belongs to.
    async (resourceArn) =>
      resourceArn.startsWith('arn:aws:organizations::')
        ? organizations.resourcePolicy.documentForArn(resourceArn)
        : (await iamServices.findRole(resourceArn))?.trustPolicy,
  );
  const audit = new AuditTrail(db, ids, logger);

  const authorizationMessages = new AuthorizationMessages(secrets);
  const stsServices: StsServices = {
    sts,
    authorizationMessages,
    findRole: (roleArn) => iamServices.findRole(roleArn),
    verifyMfa: (caller, serialNumber, code, now) => iamServices.verifyMfa(caller, serialNumber, code, now),
    webIdentity: new WebIdentityVerifier(
      iamServices.oidcProviders,
      options.fetchJson ?? fetchJsonOverHttp,
      options.allowHttpLoopbackIssuers === true,
    ),
    saml: new SamlVerifier(iamServices.samlProviders),
    accountOfAccessKey: async (accessKeyId) =>
      (await iamServices.findAccessKey(accessKeyId))?.accountId ?? (await sts.find(accessKeyId))?.caller.accountId,
    managedPolicyDocument: (accountId, policyArn) => iamServices.managedPolicyDocument(accountId, policyArn),
  };

  // The Billing console's settings, and the page gate whose rule invoke() runs for every call.
  const billingConsoleSettings = new BillingConsoleSettingsStore(db, clock, directory);
  const billingConsole: BillingConsoleServices = {
    billingConsoleSettings,
    billingConsoleGate: new BillingConsoleGate({
      settings: billingConsoleSettings,
      evaluate: createEvaluator(authority, options.region),
      expandAction: (pattern) => actions.expandAction(pattern),
    }),
  };
  // What every operation's handler receives; registering one that needs anything else does not compile.
  const paymentMethods = new PaymentMethods(db, clock, ids);
  // Budgets acting in an account (budget actions): its calls go through this world's invoke(), made below.
  const budgetsAgent: BudgetsAgent = {
    invoke: (...call) => decide(...call),
    evaluate: createEvaluator(authority, options.region),
  };
  const exportDeliveries = new ExportDeliveries(
    db,
    clock,
    ids,
    billing,
    options.exportDestination ?? configuredExportDestination({}),
    logger,
  );
  const services = {
    budgetsAgent,
    ...stsServices,
    ...billingConsole,
    iam: iamServices,
    audit,
    organizations,
    billing,
    bills: new Bills(billing),
    reportDefinitions: new ReportDefinitions(db, clock, exportDeliveries),
    dataExports: new DataExports(db, clock, ids, exportDeliveries),
    costCategories: new CostCategories(db, clock, ids),
    anomalyMonitors: new AnomalyMonitors(db, clock, ids),
    ceResourceTags: new CeResourceTags(db),
    paymentMethods,
    paymentsLedger: new PaymentsLedger(db, billing, paymentMethods),
    taxSettings: new TaxSettings(db, clock, directory),
    accountContacts: new AccountContacts(db, clock),
  };
  // IAM and console-settings changes record in their audit event the Billing console access they add and remove.
  const recordAccess = recordAccessChanges(services);
  const registry = new OperationRegistry<typeof services>().register(
    ...iamOperations.map(recordAccess),
    ...lastAccessedOperations,
    ...organizationsAccessOperations,
    ...stsOperations,
    lookupEvents,
    ...organizationsOperations,
    ...costExplorerOperations,
    ...costCategoryOperations,
    ...anomalyOperations,
    ...ceResourceTagOperations,
    ...curOperations,
    ...dataExportsOperations,
    ...budgetsOperations,
    ...budgetActionOperations,
    importCostData,
    ...savedReportOperations,
    ...whoCanOperations,
    ...accessMatrixOperations,
    ...scenarioOperations,
    ...creditsOperations,
    ...costAllocationTagOperations,
    ...paymentsLedgerOperations,
    ...CONSOLE_OPERATIONS,
    ...iamListOperations,
    ...billingConsoleOperations.map(recordAccess),
    // The account-settings pages: contacts, payment methods and preferences, tax settings, bills.
    ...accountOperations,
    ...paymentOperations,
    ...taxSettingsOperations,
    ...billsOperations,
  );
  const decide = createInvoke({
    registry,
    services,
    authority,
    audit,
    models: serviceModels,
    logger,
    defaultRegion: options.region,
    authorizationMessages,
    // What temporary credentials may never do, then the Billing console's page gates and
    // IAM-access switch, for every call: no operation opts in.
    accountRules: [stsCredentialRules, billingConsole.billingConsoleGate.rule, ...(options.accountRules ?? [])],
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
    // Access keys' last use, and a role session's RoleLastUsed.
    onAuthenticated: (key, parts, at) => {
      iamServices.recordCallerUse(key.caller, parts.service, parts.region, at).catch((error: unknown) => {
        logger.warn('last use not recorded', { error: String(error) });
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
    exportDeliveries,
  };
}
