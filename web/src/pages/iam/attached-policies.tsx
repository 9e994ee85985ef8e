import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Link from '@cloudscape-design/components/link';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import { iamApi, type AccessChange, type AttachedPolicy, type ManagedPolicy } from '../../client/operations';
import { AccessChangePreview } from '../../components/access-change-preview';
import { ConfirmModal } from '../../components/confirm-modal';
import { policyType } from '../../components/format';
import { useNotify } from '../../components/notifications';
import { ResourceTable } from '../../components/resource-table';
import { ErrorAlert } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';
import { followHref } from '../../router';

export type EntityKind = 'User' | 'Group' | 'Role';

/** ListAttachedUserPolicies, ListAttachedGroupPolicies, ListAttachedRolePolicies by the entity's kind. */
export const listAttachedPolicies = (kind: EntityKind, name: string): Promise<AttachedPolicy[]> =>
  ({
    User: iamApi.listAttachedUserPolicies,
    Group: iamApi.listAttachedGroupPolicies,
    Role: iamApi.listAttachedRolePolicies,
  })[kind](name);

const attachPolicy = (kind: EntityKind, name: string, arn: string) =>
  ({ User: iamApi.attachUserPolicy, Group: iamApi.attachGroupPolicy, Role: iamApi.attachRolePolicy })[kind](name, arn);

const entityType = (kind: EntityKind) => (kind === 'User' ? 'user' : kind === 'Group' ? 'group' : 'role');

/** The preview's changes for attaching (or detaching) these policies to (from) the entity. */
const policyChanges = (
  type: 'AttachPolicy' | 'DetachPolicy',
  kind: EntityKind,
  name: string,
  arns: string[],
): AccessChange[] =>
  arns.map((PolicyArn) => ({ Type: type, EntityType: entityType(kind), EntityName: name, PolicyArn }));

/** A policy as the Permissions tab lists it: attached directly, or (a user's) through one of its groups. */
type PolicyRow = AttachedPolicy & { Id: string; AttachedVia?: string };

/**
 * The policies that apply to the entity: its own, and for a user also its groups' ("Attached via group", as
 * AWS's console lists them), which are removed from the group, not from the user.
 */
async function policyRows(kind: EntityKind, name: string): Promise<PolicyRow[]> {
  const direct = (await listAttachedPolicies(kind, name)).map((p) => ({ ...p, Id: p.PolicyArn }));
  if (kind !== 'User') return direct;
  const groups = await iamApi.listGroupsForUser(name);
  const viaGroups = await Promise.all(
    groups.map(async (group) =>
      (await iamApi.listAttachedGroupPolicies(group.GroupName)).map((p) => ({
        ...p,
        Id: `${p.PolicyArn} via group ${group.GroupName}`,
        AttachedVia: group.GroupName,
      })),
    ),
  );
  return [...direct, ...viaGroups.flat()];
}

/** A user's, group's or role's Permissions tab: the managed policies attached, Remove, and Attach policies. */
export function AttachedPolicies({ kind, name }: { kind: EntityKind; name: string }) {
  const notify = useNotify();
  const { busy, submit } = useSubmit();
  const attached = useAsync(() => policyRows(kind, name), [kind, name]);
  const allPolicies = useAsync(() => iamApi.listPolicies('All'), []);
  const [selection, setSelection] = useState<PolicyRow[]>([]);
  const [attaching, setAttaching] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [picked, setPicked] = useState<ManagedPolicy[]>([]);

  const detach = () =>
    submit(async () => {
      for (const p of selection) await iamApi.detachPolicy(kind, name, p.PolicyArn);
      notify.success(`Policies detached from ${name}.`);
      setRemoving(false);
      setSelection([]);
      attached.reload();
    });
  const attach = () =>
    submit(async () => {
      for (const p of picked) await attachPolicy(kind, name, p.Arn);
      notify.success(`Policies attached to ${name}.`);
      setAttaching(false);
      setPicked([]);
      attached.reload();
    });
  const already = new Set((attached.data ?? []).filter((p) => p.AttachedVia === undefined).map((p) => p.PolicyArn));

  return (
    <SpaceBetween size="s">
      {attached.error && <ErrorAlert error={attached.error} />}
      <ResourceTable<PolicyRow>
        headerVariant="h2"
        title="Permissions policies"
        description={
          kind === 'User'
            ? 'Permissions are defined by policies attached to the user directly or through groups.'
            : undefined
        }
        items={attached.data ?? []}
        loading={attached.loading}
        trackBy="Id"
        resourceName="policy"
        filterPlaceholder="Filter policies"
        selectionType="multi"
        selectedItems={selection}
        onSelectionChange={setSelection}
        isItemDisabled={(p) => p.AttachedVia !== undefined}
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button disabled={selection.length === 0} onClick={() => setRemoving(true)}>
              Remove
            </Button>
            <Button variant="primary" onClick={() => setAttaching(true)}>
              Attach policies
            </Button>
          </SpaceBetween>
        }
        columns={[
          {
            id: 'name',
            header: 'Policy name',
            cell: (p) => (
              <Link href={`#/iam/policy?arn=${encodeURIComponent(p.PolicyArn)}`} onFollow={followHref}>
                {p.PolicyName}
              </Link>
            ),
          },
          { id: 'type', header: 'Type', cell: (p) => policyType(p.PolicyArn) },
          ...(kind === 'User'
            ? [
                {
                  id: 'via',
                  header: 'Attached via',
                  cell: (p: PolicyRow) =>
                    p.AttachedVia === undefined ? (
                      'Directly'
                    ) : (
                      <Link href={`#/iam/group?name=${encodeURIComponent(p.AttachedVia)}`} onFollow={followHref}>
                        Group {p.AttachedVia}
                      </Link>
                    ),
                },
              ]
            : []),
        ]}
      />
      <ConfirmModal
        visible={removing}
        header={`Remove permission policies from ${name}`}
        action="Remove"
        busy={busy}
        onConfirm={() => void detach()}
        onCancel={() => setRemoving(false)}
      >
        <SpaceBetween size="m">
          <Box variant="p">
            {`Detach ${selection.map((p) => p.PolicyName).join(', ')} from ${name}? The policies themselves are not deleted.`}
          </Box>
          {removing && (
            <AccessChangePreview
              changes={policyChanges(
                'DetachPolicy',
                kind,
                name,
                selection.map((p) => p.PolicyArn),
              )}
            />
          )}
        </SpaceBetween>
      </ConfirmModal>
      <Modal
        closeAriaLabel="Close dialog"
        visible={attaching}
        onDismiss={() => setAttaching(false)}
        header={`Attach permission policies to ${name}`}
        size="large"
        footer={
          <Box float="right">
            <SpaceBetween direction="horizontal" size="xs">
              <Button variant="link" onClick={() => setAttaching(false)}>
                Cancel
              </Button>
              <Button variant="primary" loading={busy} onClick={() => void attach()} disabled={picked.length === 0}>
                Attach policies
              </Button>
            </SpaceBetween>
          </Box>
        }
      >
        <SpaceBetween size="m">
          <AccessChangePreview
            changes={policyChanges(
              'AttachPolicy',
              kind,
              name,
              picked.map((p) => p.Arn),
            )}
          />
          <ResourceTable<ManagedPolicy>
            headerVariant="h2"
            title="Other permission policies"
            items={(allPolicies.data ?? []).filter((p) => !already.has(p.Arn))}
            loading={allPolicies.loading}
            trackBy="Arn"
            resourceName="policy"
            filterPlaceholder="Filter policies by property or policy name"
            selectionType="multi"
            selectedItems={picked}
            onSelectionChange={setPicked}
            columns={[
              { id: 'name', header: 'Policy name', cell: (p) => p.PolicyName },
              { id: 'type', header: 'Type', cell: (p) => policyType(p.Arn) },
            ]}
          />
        </SpaceBetween>
      </Modal>
    </SpaceBetween>
  );
}
