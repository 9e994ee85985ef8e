import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import RadioGroup from '@cloudscape-design/components/radio-group';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import { iamApi, type AccessKey } from '../../client/operations';
import { formatDate } from '../../components/format';
import { useNotify } from '../../components/notifications';
import { EmptyState, ErrorAlert } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';

/** Console sign-in: whether the user has a console password, and Manage console access. */
function ConsoleAccess({ userName }: { userName: string }) {
  const notify = useNotify();
  const { busy, submit } = useSubmit();
  const profile = useAsync(() => iamApi.getLoginProfile(userName), [userName]);
  const [managing, setManaging] = useState(false);
  const [enable, setEnable] = useState(true);
  const [password, setPassword] = useState('');
  const [resetRequired, setResetRequired] = useState(true);
  const enabled = profile.data === true;

  const apply = () =>
    submit(async () => {
      if (!enable) await iamApi.deleteLoginProfile(userName);
      else if (enabled) await iamApi.updateLoginProfile(userName, password, resetRequired);
      else await iamApi.createLoginProfile(userName, password, resetRequired);
      notify.success(enable ? `Console access for ${userName} updated.` : `Console access for ${userName} disabled.`);
      setManaging(false);
      profile.reload();
    });

  return (
    <Container
      header={
        <Header
          variant="h2"
          actions={
            <Button
              onClick={() => {
                setEnable(true);
                setPassword('');
                setManaging(true);
              }}
            >
              Manage console access
            </Button>
          }
        >
          Console sign-in
        </Header>
      }
    >
      {profile.error ? (
        <ErrorAlert error={profile.error} />
      ) : (
        <div>
          <Box variant="awsui-key-label">Console access</Box>
          <StatusIndicator type={profile.loading ? 'loading' : enabled ? 'success' : 'stopped'}>
            <span data-testid="console-access">{profile.loading ? 'Loading' : enabled ? 'Enabled' : 'Disabled'}</span>
          </StatusIndicator>
        </div>
      )}
      <Modal
        closeAriaLabel="Close dialog"
        visible={managing}
        onDismiss={() => setManaging(false)}
        header="Manage console access"
        footer={
          <Box float="right">
            <SpaceBetween direction="horizontal" size="xs">
              <Button variant="link" onClick={() => setManaging(false)}>
                Cancel
              </Button>
              <Button
                variant="primary"
                loading={busy}
                disabled={enable && password === ''}
                onClick={() => void apply()}
              >
                Apply
              </Button>
            </SpaceBetween>
          </Box>
        }
      >
        <SpaceBetween size="m">
          <RadioGroup
            ariaLabel="Console access"
            value={enable ? 'enable' : 'disable'}
            onChange={(e) => setEnable(e.detail.value === 'enable')}
            items={[
              { value: 'enable', label: enabled ? 'Enable (reset password)' : 'Enable' },
              {
                value: 'disable',
                label: 'Disable',
                description: "The user's console password is deleted; access keys keep working.",
                disabled: !enabled,
              },
            ]}
          />
          {enable && (
            <>
              <FormField label="Custom password">
                <Input
                  value={password}
                  onChange={(e) => setPassword(e.detail.value)}
                  type="password"
                  ariaLabel="Custom password"
                />
              </FormField>
              <Checkbox checked={resetRequired} onChange={(e) => setResetRequired(e.detail.checked)}>
                User must create a new password at next sign-in
              </Checkbox>
            </>
          )}
        </SpaceBetween>
      </Modal>
    </Container>
  );
}

/** The user's MFA devices; Remove deactivates and deletes one, as AWS's console does. */
function MfaDevices({ userName }: { userName: string }) {
  const notify = useNotify();
  const { submit } = useSubmit();
  const devices = useAsync(() => iamApi.listMfaDevices(userName), [userName]);
  const remove = (serial: string) =>
    submit(async () => {
      await iamApi.deactivateMfaDevice(userName, serial);
      await iamApi.deleteVirtualMfaDevice(serial);
      notify.success(`MFA device ${serial} removed.`);
      devices.reload();
    });
  return (
    <Table
      header={
        <Header variant="h2" counter={`(${devices.data?.length ?? 0})`}>
          Multi-factor authentication (MFA)
        </Header>
      }
      items={devices.data ?? []}
      loading={devices.loading}
      loadingText="Loading MFA devices"
      empty={
        devices.error ? (
          <ErrorAlert error={devices.error} />
        ) : (
          <EmptyState title="No MFA devices" subtitle="The user assigns one in their own Security credentials." />
        )
      }
      columnDefinitions={[
        { id: 'serial', header: 'Identifier', cell: (d) => d.SerialNumber },
        {
          id: 'remove',
          header: 'Actions',
          cell: (d) => (
            <Button variant="inline-link" onClick={() => void remove(d.SerialNumber)}>
              Remove
            </Button>
          ),
        },
      ]}
    />
  );
}

/** The access key calls for a named user, or (no user name) for the signed-in identity's own keys. */
function accessKeyCalls(userName: string | undefined) {
  return userName === undefined
    ? {
        list: iamApi.listOwnAccessKeys,
        create: iamApi.createOwnAccessKey,
        update: iamApi.updateOwnAccessKey,
        remove: iamApi.deleteOwnAccessKey,
      }
    : {
        list: () => iamApi.listAccessKeys(userName),
        create: () => iamApi.createAccessKey(userName),
        update: (id: string, status: 'Active' | 'Inactive') => iamApi.updateAccessKey(userName, id, status),
        remove: (id: string) => iamApi.deleteAccessKey(userName, id),
      };
}

/**
 * Access keys: create (the secret shown once), activate or deactivate, delete — a user's (administrator's view)
 * or, without `userName`, the signed-in identity's own (My security credentials).
 */
export function AccessKeys({ userName }: { userName?: string }) {
  const notify = useNotify();
  const { busy, submit } = useSubmit();
  const calls = accessKeyCalls(userName);
  const keys = useAsync(calls.list, [userName]);
  const [created, setCreated] = useState<(AccessKey & { SecretAccessKey: string }) | null>(null);
  const act = (work: () => Promise<unknown>, message: string) =>
    submit(async () => {
      await work();
      notify.success(message);
      keys.reload();
    });
  return (
    <>
      <Table
        header={
          <Header
            variant="h2"
            counter={`(${keys.data?.length ?? 0})`}
            description="Use access keys to send programmatic calls to AWS from the AWS CLI, SDKs or direct API calls. You can have a maximum of two access keys (active or inactive) at a time."
            actions={
              <Button
                loading={busy}
                onClick={() =>
                  void submit(async () => {
                    setCreated(await calls.create());
                    keys.reload();
                  })
                }
              >
                Create access key
              </Button>
            }
          >
            Access keys
          </Header>
        }
        items={keys.data ?? []}
        loading={keys.loading}
        loadingText="Loading access keys"
        empty={
          keys.error ? (
            <ErrorAlert error={keys.error} />
          ) : (
            <EmptyState title="No access keys" subtitle="No access keys." />
          )
        }
        columnDefinitions={[
          { id: 'id', header: 'Access key ID', cell: (k) => k.AccessKeyId },
          {
            id: 'status',
            header: 'Status',
            cell: (k) => (
              <StatusIndicator type={k.Status === 'Active' ? 'success' : 'stopped'}>{k.Status}</StatusIndicator>
            ),
          },
          { id: 'created', header: 'Created', cell: (k) => formatDate(k.CreateDate) },
          {
            id: 'actions',
            header: 'Actions',
            cell: (k) => (
              <SpaceBetween direction="horizontal" size="xs">
                <Button
                  variant="inline-link"
                  onClick={() =>
                    void act(
                      () => calls.update(k.AccessKeyId, k.Status === 'Active' ? 'Inactive' : 'Active'),
                      `Access key ${k.AccessKeyId} is now ${k.Status === 'Active' ? 'inactive' : 'active'}.`,
                    )
                  }
                >
                  {k.Status === 'Active' ? 'Deactivate' : 'Activate'}
                </Button>
                <Button
                  variant="inline-link"
                  onClick={() => void act(() => calls.remove(k.AccessKeyId), `Access key ${k.AccessKeyId} deleted.`)}
                >
                  Delete
                </Button>
              </SpaceBetween>
            ),
          },
        ]}
      />
      <Modal
        closeAriaLabel="Close dialog"
        visible={created !== null}
        onDismiss={() => setCreated(null)}
        header="Retrieve access key"
      >
        {created && (
          <SpaceBetween size="m">
            <Alert type="warning">This is the only time that the secret access key can be viewed or downloaded.</Alert>
            <FormField label="Access key">
              <Box variant="code">{created.AccessKeyId}</Box>
            </FormField>
            <FormField label="Secret access key">
              <Box variant="code">{created.SecretAccessKey}</Box>
            </FormField>
          </SpaceBetween>
        )}
      </Modal>
    </>
  );
}

/** A user's Security credentials tab, as an administrator sees it. */
export function UserCredentials({ userName }: { userName: string }) {
  return (
    <SpaceBetween size="l">
      <ConsoleAccess userName={userName} />
      <MfaDevices userName={userName} />
      <AccessKeys userName={userName} />
    </SpaceBetween>
  );
}
