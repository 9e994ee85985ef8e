import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useEffect, useState, type ReactNode } from 'react';
import { iamApi } from '../../client/operations';
import { errorHeader, useNotify } from '../../components/notifications';
import { useSubmit } from '../../components/use-submit';
import { navigate } from '../../router';
import { listAttachedPolicies, type EntityKind } from './attached-policies';

/** One step of a console delete: one or more API calls, each authorized by the server on its own. */
export interface DeleteStep {
  label: string;
  run: () => Promise<unknown>;
}

type StepState = { label: string; status: 'pending' | 'in-progress' | 'success' | 'error'; error?: string };

export interface DeleteModalProps {
  visible: boolean;
  onDismiss: () => void;
  /** "user", "user group", "role", "policy": for the title and the confirmation text. */
  resource: string;
  names: string[];
  /** What will be removed with it, as AWS's dialog warns. */
  children?: ReactNode;
  /** The steps, in order, for one name. */
  steps: (name: string) => DeleteStep[];
  /** A list page reloads; a resource's own page names the list to return to. */
  onDeleted?: () => void;
  returnTo?: string;
}

/**
 * AWS's delete dialog: the name typed to confirm ("delete" for several), then the console's cascade run one
 * API call after another from the browser, so each is authorized as the signed-in user. A refused step stops
 * the delete there; the dialog shows which step it was, and the flash message the server's error.
 */
export function DeleteModal(props: DeleteModalProps) {
  const notify = useNotify();
  const { busy, submit } = useSubmit();
  const [typed, setTyped] = useState('');
  const [progress, setProgress] = useState<StepState[]>([]);
  const confirmation = props.names.length === 1 ? props.names[0]! : 'delete';
  const one = props.names.length === 1;

  useEffect(() => {
    if (props.visible) {
      setTyped('');
      setProgress([]);
    }
  }, [props.visible]);

  const run = () =>
    submit(async () => {
      const steps = props.names.flatMap((name) =>
        props.steps(name).map((s) => ({ ...s, label: one ? s.label : `${name}: ${s.label}` })),
      );
      const states: StepState[] = steps.map((s) => ({ label: s.label, status: 'pending' }));
      const show = () => setProgress(states.map((s) => ({ ...s })));
      for (const [i, step] of steps.entries()) {
        states[i]!.status = 'in-progress';
        show();
        try {
          await step.run();
        } catch (error) {
          states[i] = { ...states[i]!, status: 'error', error: errorHeader(error) };
          show();
          throw error;
        }
        states[i]!.status = 'success';
      }
      show();
      const title = props.resource[0]!.toUpperCase() + props.resource.slice(1);
      notify.success(`${title}${one ? '' : 's'} ${props.names.join(', ')} deleted.`, undefined, !!props.returnTo);
      props.onDismiss();
      props.onDeleted?.();
      if (props.returnTo) navigate(props.returnTo);
    });

  return (
    <Modal
      closeAriaLabel="Close dialog"
      visible={props.visible}
      onDismiss={props.onDismiss}
      header={one ? `Delete ${props.names[0]}?` : `Delete ${props.names.length} ${props.resource}s?`}
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={props.onDismiss}>
              Cancel
            </Button>
            <Button variant="primary" loading={busy} disabled={typed !== confirmation} onClick={() => void run()}>
              Delete
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <SpaceBetween size="m">
        {props.children}
        <FormField
          label={
            one ? (
              <>
                To confirm deletion, enter <i>{confirmation}</i> in the text input field.
              </>
            ) : (
              <>
                To confirm deletion, enter <i>delete</i> in the text input field.
              </>
            )
          }
        >
          <Input
            value={typed}
            onChange={(e) => setTyped(e.detail.value)}
            placeholder={confirmation}
            ariaLabel="Confirm deletion"
          />
        </FormField>
        {progress.length > 0 && (
          <ul aria-label="Delete steps" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {progress.map((s, i) => (
              <li key={i}>
                <StatusIndicator type={s.status === 'error' ? 'error' : s.status}>
                  {s.label}
                  {s.error !== undefined && ` — refused (${s.error})`}
                </StatusIndicator>
              </li>
            ))}
          </ul>
        )}
      </SpaceBetween>
    </Modal>
  );
}

/** AWS console's user delete: console password, access keys, MFA, groups, inline and managed policies, the user. */
export function userDeleteSteps(name: string): DeleteStep[] {
  return [
    {
      label: 'Delete console password',
      run: async () => {
        if (await iamApi.getLoginProfile(name)) await iamApi.deleteLoginProfile(name);
      },
    },
    {
      label: 'Delete access keys',
      run: async () => {
        for (const k of await iamApi.listAccessKeys(name)) await iamApi.deleteAccessKey(name, k.AccessKeyId);
      },
    },
    {
      label: 'Deactivate and delete MFA devices',
      run: async () => {
        for (const d of await iamApi.listMfaDevices(name)) {
          await iamApi.deactivateMfaDevice(name, d.SerialNumber);
          await iamApi.deleteVirtualMfaDevice(d.SerialNumber);
        }
      },
    },
    {
      label: 'Remove from user groups',
      run: async () => {
        for (const g of await iamApi.listGroupsForUser(name)) await iamApi.removeUserFromGroup(g.GroupName, name);
      },
    },
    ...policySteps('User', name),
    { label: 'Delete user', run: () => iamApi.deleteUser(name) },
  ];
}

/** AWS console's user group delete: members removed, policies deleted and detached, the group. */
export function groupDeleteSteps(name: string): DeleteStep[] {
  return [
    {
      label: 'Remove users',
      run: async () => {
        for (const u of (await iamApi.getGroup(name)).Users) await iamApi.removeUserFromGroup(name, u.UserName);
      },
    },
    ...policySteps('Group', name),
    { label: 'Delete user group', run: () => iamApi.deleteGroup(name) },
  ];
}

export function roleDeleteSteps(name: string): DeleteStep[] {
  return [...policySteps('Role', name), { label: 'Delete role', run: () => iamApi.deleteRole(name) }];
}

function policySteps(kind: EntityKind, name: string): DeleteStep[] {
  return [
    {
      label: 'Delete inline policies',
      run: async () => {
        for (const p of await iamApi.listInlinePolicies(kind, name)) await iamApi.deleteInlinePolicy(kind, name, p);
      },
    },
    {
      label: 'Detach managed policies',
      run: async () => {
        for (const p of await listAttachedPolicies(kind, name)) await iamApi.detachPolicy(kind, name, p.PolicyArn);
      },
    },
  ];
}

/**
 * A customer managed policy's delete. Without `detach`, an attached policy goes straight to DeletePolicy so the
 * server's DeleteConflict is what the user sees; with it, the policy is detached from every entity first. Older
 * versions are deleted before the policy, as AWS's console does (DeletePolicy refuses while they exist).
 */
export function policyDeleteSteps(arn: string, detach: boolean): DeleteStep[] {
  const steps: DeleteStep[] = [];
  if (detach) {
    steps.push({
      label: 'Detach from all entities',
      run: async () => {
        const e = await iamApi.listEntitiesForPolicy(arn);
        for (const g of e.PolicyGroups) await iamApi.detachPolicy('Group', g.GroupName, arn);
        for (const u of e.PolicyUsers) await iamApi.detachPolicy('User', u.UserName, arn);
        for (const r of e.PolicyRoles) await iamApi.detachPolicy('Role', r.RoleName, arn);
      },
    });
  }
  steps.push(
    {
      label: 'Delete older policy versions',
      run: async () => {
        const e = await iamApi.listEntitiesForPolicy(arn);
        // Attached and not detaching: leave the versions, and let DeletePolicy answer.
        if (e.PolicyGroups.length + e.PolicyUsers.length + e.PolicyRoles.length > 0) return;
        for (const v of await iamApi.listPolicyVersions(arn)) {
          if (!v.IsDefaultVersion) await iamApi.deletePolicyVersion(arn, v.VersionId);
        }
      },
    },
    { label: 'Delete policy', run: () => iamApi.deletePolicy(arn) },
  );
  return steps;
}
