/**
 * The IAM service: accounts, identities, policies and credentials over the store, with AWS's rules.
 *
 * Wiring (composition root, console, Edge):
 * ```ts
 * const { db, dialect } = await openDatabase({ url, dataDir, ephemeral });
 * const iam = await createIamServices({ db, clock: systemClock, ids: cryptoIdSource,
 *                                       sharedStore: dialect === 'postgres', scpChainFor });
 * ```
 * `createIamServices` seeds the AWS managed policies, then returns one object:
 * - `accounts`      sign-up (`signUp({email, password, accountName, accountId?})` → 12-digit account + root user),
 *                   root sign-in (`verifyRootPassword`), `findBySignInName(idOrAlias)`, aliases, password policy.
 * - `users`, `groups`, `roles`, `serviceLinkedRoles`, `instanceProfiles`, `oidcProviders`, `samlProviders`,
 *   `policies` (managed, versions), `entityPolicies` (attach/detach, inline, boundaries), `accessKeys`,
 *   `loginProfiles` (console passwords; `verify(accountId, userName, password)` for console sign-in), `mfa`
 *   (virtual TOTP devices; `verify(caller, serial, code, now)`), `sshPublicKeys`, `signingCertificates`,
 *   `serviceSpecificCredentials`, `serverCertificates`, `tags`,
 *   `reports` (credential report, GetAccountAuthorizationDetails, GetAccountSummary), `simulator`,
 *   `lastAccessed` (service last accessed reports over attempts the audit trail saw), `organizationsAccess`
 *   (organizations access reports).
 * - `findAccessKey(accessKeyId)` → `{ secretAccessKey, status, accountId, caller }` for SigV4 verification;
 *   `recordCallerUse(caller, service, region, when)` after authentication: access-key last use and the role's
 *   RoleLastUsed (cheap: at most one write per key or role per minute).
 * - `resolver.resolve(caller, { sessionPolicy, sessionPolicyArns })` → `{ set, sources }`: the engine's set for
 *   `evaluate(request, set)`. Cached per principal; invalidated by every IAM write, and by
 *   `resolver.invalidate(accountIds)` (wire Organizations' `onChainsChanged` to it).
 * - `findRole(roleArn)` and `verifyMfa` in the shapes STS's operations expect.
 * - `context`: the shared IamContext — `write(accountId, trx => …)` (one transaction that also bumps the
 *   account's policy generation), `locate(accountId, kind, name)` (stored entity names and paths for resource ARNs).
 *
 * Virtual MFA: `mfa.createVirtual` returns AWS's `Base32StringSeed` and `QRCodePNG` (a QR code of the otpauth
 * URI), and also `otpauthUri` and `seedBase32` for the console.
 *
 * Wire note: outputs carry policy documents as plain JSON text and timestamps as Date; the Query encoder
 * URL-encodes `policyDocumentType` members (as AWS does), so nothing here encodes. Blobs are Buffers.
 * Operations for the registry are in src/operations/iam (`iamOperations`).
 */
import type { SecretBox } from '../platform/secrets.js';
import type { Caller } from '../core/operation.js';
import type { Clock } from '../platform/clock.js';
import type { IdSource } from '../platform/ids.js';
import { AccessKeyService } from './access-keys.js';
import { AccountService } from './accounts.js';
import { seedAwsManagedPolicies } from './aws-managed.js';
import type { Db } from './context.js';
import { IamContext } from './context.js';
import { EntityPolicyService } from './entity-policies.js';
import { GroupService } from './groups.js';
import { InstanceProfileService } from './instance-profiles.js';
import { OidcProviderService } from './oidc-providers.js';
import { SamlProviderService } from './saml-providers.js';
import { LastAccessedService } from './last-accessed.js';
import { LoginProfileService } from './login-profiles.js';
import { MfaService } from './mfa.js';
import { OrganizationsAccessReports } from './organizations-access-reports.js';
import { PolicyService } from './policies.js';
import { findPolicyByArn } from './records.js';
import type { ScpChainFor } from './principal-resolution.js';
import { PrincipalResolver } from './principal-resolution.js';
import { ReportService } from './reports.js';
import { RoleService } from './roles.js';
import { ServerCertificateService } from './server-certificates.js';
import { ServiceLinkedRoleService } from './service-linked-roles.js';
import { ServiceSpecificCredentialService } from './service-specific-credentials.js';
import { SigningCertificateService } from './signing-certificates.js';
import { SshPublicKeyService } from './ssh-public-keys.js';
import { Simulator } from './simulator.js';
import { TagService } from './tags.js';
import { UserService } from './users.js';

export interface CreateIamOptions {
  db: Db;
  clock: Clock;
  ids: IdSource;
  sharedStore?: boolean;
  scpChainFor?: ScpChainFor;
  passwordHashCost?: number;
  secrets?: SecretBox;
  /** Accept `http://` OIDC issuers on a loopback host (test issuers; AWS accepts only https). */
  allowHttpLoopbackIssuers?: boolean;
}

export type IamServices = Awaited<ReturnType<typeof createIamServices>>;

export async function createIamServices(options: CreateIamOptions) {
  const ctx = new IamContext(options);
  await seedAwsManagedPolicies(options.db);
  await ctx.loadEntities();
  const accounts = new AccountService(ctx);
  const policies = new PolicyService(ctx);
  const accessKeys = new AccessKeyService(ctx);
  const roles = new RoleService(ctx);
  const mfa = new MfaService(ctx);
  const resolver = new PrincipalResolver(ctx, options.scpChainFor);
  const services = {
    context: ctx,
    accounts,
    users: new UserService(ctx),
    groups: new GroupService(ctx),
    roles,
    serviceLinkedRoles: new ServiceLinkedRoleService(ctx, roles),
    instanceProfiles: new InstanceProfileService(ctx),
    oidcProviders: new OidcProviderService(ctx, options.allowHttpLoopbackIssuers === true),
    samlProviders: new SamlProviderService(ctx),
    policies,
    entityPolicies: new EntityPolicyService(ctx),
    accessKeys,
    loginProfiles: new LoginProfileService(ctx, accounts),
    mfa,
    sshPublicKeys: new SshPublicKeyService(ctx),
    signingCertificates: new SigningCertificateService(ctx),
    serviceSpecificCredentials: new ServiceSpecificCredentialService(ctx),
    serverCertificates: new ServerCertificateService(ctx),
    tags: new TagService(ctx),
    resolver,
    findAccessKey: (accessKeyId: string) => accessKeys.find(accessKeyId),
    /** After a request authenticates: access-key last use (long-term keys) and RoleLastUsed (role sessions). */
    async recordCallerUse(caller: Caller, service: string, region: string, when: Date): Promise<void> {
      if (caller.accessKeyId?.startsWith('AKIA')) await accessKeys.recordUse(caller.accessKeyId, service, region, when);
      if (caller.kind === 'assumed-role') await roles.recordUse(caller.userId.split(':')[0]!, region, when);
    },
    async findRole(roleArn: string) {
      const row = await roles.findByArn(roleArn);
      return row
        ? {
            arn: row.arn,
            roleId: row.role_id,
            name: row.name,
            accountId: row.account_id,
            maxSessionDuration: Number(row.max_session_duration),
            trustPolicy: row.assume_role_policy,
          }
        : undefined;
    },
    /** A managed policy's default document as the account sees it (its own or AWS's), undefined if none. */
    async managedPolicyDocument(accountId: string, policyArn: string): Promise<string | undefined> {
      const row = await findPolicyByArn(ctx.db, accountId, policyArn);
      return row === undefined ? undefined : policies.defaultDocument(ctx.db, row);
    },
    verifyMfa: (caller: Caller, serialNumber: string | undefined, code: string, now: Date) =>
      mfa.verify(caller, serialNumber, code, now),
  };
  const reports = new ReportService(ctx, services);
  const simulator = new Simulator(ctx, resolver);
  return {
    ...services,
    reports,
    simulator,
    lastAccessed: new LastAccessedService(ctx, simulator),
    organizationsAccess: new OrganizationsAccessReports(ctx),
  };
}

export type { AccessKeyRecord } from './access-keys.js';
export type { Account, SignUpInput } from './accounts.js';
export type { PolicySource, ResolvedPrincipal, ResolveOptions, ScpChainFor } from './principal-resolution.js';
