/**
 * Service-linked roles: roles a service defines and owns, created in the account under
 * `/aws-service-role/<service principal>/` with a trust policy that lets only that service assume them. The
 * account may create and delete them (DeleteServiceLinkedRole, whose task GetServiceLinkedRoleDeletionStatus
 * reports) and edit their description; every other change is refused above policies (src/policy/service-rules.ts).
 *
 * The services known here are a handful of common ones, with the role names AWS gives them and whether they
 * take a CustomSuffix (AWS lets a service that allows several roles per account name each one
 * `<role name>_<suffix>`). The services' own managed policies are not in Bursar's catalogue, so none is attached.
 */
import { uuid } from '../platform/ids.js';
import { invalidInput, noSuchEntity } from './errors.js';
import type { IamContext } from './context.js';
import type { RoleService } from './roles.js';

interface LinkedService {
  roleName: string;
  /** Whether the service lets an account have several roles, told apart by a CustomSuffix. */
  customSuffix: boolean;
}

export const LINKED_SERVICES: Readonly<Record<string, LinkedService>> = {
  'organizations.amazonaws.com': { roleName: 'AWSServiceRoleForOrganizations', customSuffix: false },
  'support.amazonaws.com': { roleName: 'AWSServiceRoleForSupport', customSuffix: false },
  'trustedadvisor.amazonaws.com': { roleName: 'AWSServiceRoleForTrustedAdvisor', customSuffix: false },
  'autoscaling.amazonaws.com': { roleName: 'AWSServiceRoleForAutoScaling', customSuffix: true },
  'elasticloadbalancing.amazonaws.com': { roleName: 'AWSServiceRoleForElasticLoadBalancing', customSuffix: false },
  'ecs.amazonaws.com': { roleName: 'AWSServiceRoleForECS', customSuffix: false },
  'rds.amazonaws.com': { roleName: 'AWSServiceRoleForRDS', customSuffix: false },
};

export const SERVICE_ROLE_PATH = '/aws-service-role/';

/** The name and path a CreateServiceLinkedRole call would give its role, or AWS's InvalidInput. */
export function serviceLinkedRoleName(
  service: string,
  customSuffix: string | undefined,
): { roleName: string; path: string } {
  const linked = Object.hasOwn(LINKED_SERVICES, service) ? LINKED_SERVICES[service] : undefined;
  if (linked === undefined) throw invalidInput(`Service ${service} does not support service-linked roles.`);
  if (customSuffix !== undefined && !linked.customSuffix)
    throw invalidInput(`Custom suffix is not allowed for ${linked.roleName}`);
  return {
    roleName: customSuffix === undefined ? linked.roleName : `${linked.roleName}_${customSuffix}`,
    path: `${SERVICE_ROLE_PATH}${service}/`,
  };
}

/** A deletion task's id names the role it deletes: `task/aws-service-role/<service>/<role>/<uuid>`. */
export function roleOfDeletionTask(taskId: string): { path: string; roleName: string } | undefined {
  const match = /^task(\/aws-service-role\/[^/]+\/)([\w+=,.@-]+)\/[0-9a-f-]{36}$/.exec(taskId);
  return match ? { path: match[1]!, roleName: match[2]! } : undefined;
}

export class ServiceLinkedRoleService {
  constructor(
    private readonly ctx: IamContext,
    private readonly roles: RoleService,
  ) {}

  async create(accountId: string, input: { AWSServiceName: string; Description?: string; CustomSuffix?: string }) {
    const service = input.AWSServiceName;
    const { roleName, path } = serviceLinkedRoleName(service, input.CustomSuffix);
    const taken = await this.ctx.db
      .selectFrom('iam_roles')
      .select('role_id')
      .where('account_id', '=', accountId)
      .where('name_key', '=', roleName.toLowerCase())
      .executeTakeFirst();
    if (taken)
      throw invalidInput(
        `Service role name ${roleName} has been taken in this account, please try a different suffix.`,
      );
    const description = input.Description ?? null;
    return this.roles.create(accountId, {
      RoleName: roleName,
      Path: path,
      ...(description === null ? {} : { Description: description }),
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
      }),
    });
  }

  /**
   * Deletes the role and records the task as SUCCEEDED: no service here holds resources that use the role, which
   * is what makes AWS's deletion fail.
   */
  async delete(accountId: string, roleName: string): Promise<string> {
    const role = await this.roles.get(accountId, roleName);
    if (!role.Path.startsWith(SERVICE_ROLE_PATH) || role.Path === SERVICE_ROLE_PATH)
      throw invalidInput(`Role ${role.RoleName} is not a service-linked role.`);
    const taskId = `task${role.Path}${role.RoleName}/${uuid(this.ctx.ids)}`;
    await this.roles.delete(accountId, role.RoleName);
    await this.ctx.write(accountId, (trx) =>
      trx
        .insertInto('iam_service_linked_role_deletions')
        .values({
          task_id: taskId,
          account_id: accountId,
          role_arn: role.Arn,
          status: 'SUCCEEDED',
          created_at: this.ctx.nowIso(),
        })
        .execute(),
    );
    return taskId;
  }

  async deletionStatus(accountId: string, taskId: string) {
    if (roleOfDeletionTask(taskId) === undefined) throw invalidInput(`Invalid deletion task id: ${taskId}`);
    const row = await this.ctx.db
      .selectFrom('iam_service_linked_role_deletions')
      .selectAll()
      .where('task_id', '=', taskId)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (!row) throw noSuchEntity(`Deletion task ${taskId} cannot be found.`);
    return { Status: row.status };
  }
}
