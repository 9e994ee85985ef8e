import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import { blobText, iamApi, type AccessKey } from '../../client/operations';
import { formatDate } from '../../components/format';
import { useNotify } from '../../components/notifications';
import { EmptyState, ErrorAlert } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';
import { useIdentity } from '../../session';
import { ChangePasswordForm } from '../auth/change-password';

function AccessKeys() {
  const notify = useNotify();
  const keys = useAsync(iamApi.listOwnAccessKeys, []);
  const { busy, submit } = useSubmit();
  const [created, setCreated] = useState<(AccessKey & { SecretAccessKey: string }) | null>(null);
  const act = (work: () => Promise<unknown>, message: string) =>
    submit(async () => {
      await work();
      notify.success(message);
      keys.reload();
    });
  return (
    <>
      {keys.error && <ErrorAlert error={keys.error} />}
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
                    setCreated(await iamApi.createOwnAccessKey());
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
        empty={<EmptyState title="No access keys" subtitle="You have no access keys." />}
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
                      () => iamApi.updateOwnAccessKey(k.AccessKeyId, k.Status === 'Active' ? 'Inactive' : 'Active'),
                      `Access key ${k.AccessKeyId} is now ${k.Status === 'Active' ? 'inactive' : 'active'}.`,
                    )
                  }
                >
                  {k.Status === 'Active' ? 'Deactivate' : 'Activate'}
                </Button>
                <Button
                  variant="inline-link"
                  onClick={() =>
                    void act(() => iamApi.deleteOwnAccessKey(k.AccessKeyId), `Access key ${k.AccessKeyId} deleted.`)
                  }
                >
                  Delete
                </Button>
              </SpaceBetween>
            ),
          },
        ]}
      />
      <Modal visible={created !== null} onDismiss={() => setCreated(null)} header="Retrieve access key">
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

function MfaDevices() {
  const identity = useIdentity();
  const notify = useNotify();
  const devices = useAsync(iamApi.listOwnMfaDevices, []);
  const [assigning, setAssigning] = useState<{ serial: string; seed: string } | null>(null);
  const [name, setName] = useState('');
  const [code1, setCode1] = useState('');
  const [code2, setCode2] = useState('');
  const { busy, submit } = useSubmit();
  const start = () =>
    submit(async () => {
      const device = await iamApi.createVirtualMfaDevice(name || `${identity.userName ?? 'root'}-mfa`);
      setAssigning({ serial: device.SerialNumber, seed: blobText(device.Base32StringSeed) });
    });
  const finish = () =>
    submit(async () => {
      await iamApi.enableOwnMfaDevice(assigning!.serial, code1, code2, identity.userName ?? undefined);
      notify.success('MFA device assigned. You will be asked for a code when you sign in.');
      setAssigning(null);
      devices.reload();
    });
  return (
    <Container
      header={
        <Header
          variant="h2"
          counter={`(${devices.data?.length ?? 0})`}
          description="Use multi-factor authentication (MFA) to increase the security of your AWS environment."
        >
          Multi-factor authentication (MFA)
        </Header>
      }
    >
      <SpaceBetween size="m">
        {devices.error && <ErrorAlert error={devices.error} />}
        {(devices.data ?? []).map((d) => (
          <StatusIndicator key={d.SerialNumber} type="success">
            {d.SerialNumber} (assigned {formatDate(d.EnableDate)})
          </StatusIndicator>
        ))}
        {assigning === null ? (
          <SpaceBetween direction="horizontal" size="xs">
            <Input
              value={name}
              onChange={(e) => setName(e.detail.value)}
              placeholder="Device name"
              ariaLabel="Device name"
            />
            <Button loading={busy} onClick={() => void start()}>
              Assign MFA device
            </Button>
          </SpaceBetween>
        ) : (
          <SpaceBetween size="s">
            <FormField
              label="Secret key"
              description="Enter this key in your authenticator app (time-based, 6 digits, 30 seconds)."
            >
              <Box variant="code">{assigning.seed}</Box>
            </FormField>
            <FormField label="MFA code 1">
              <Input
                value={code1}
                onChange={(e) => setCode1(e.detail.value)}
                inputMode="numeric"
                ariaLabel="MFA code 1"
              />
            </FormField>
            <FormField label="MFA code 2" description="Wait for the next code, then enter it.">
              <Input
                value={code2}
                onChange={(e) => setCode2(e.detail.value)}
                inputMode="numeric"
                ariaLabel="MFA code 2"
              />
            </FormField>
            <Button variant="primary" loading={busy} onClick={() => void finish()}>
              Add MFA
            </Button>
          </SpaceBetween>
        )}
      </SpaceBetween>
    </Container>
  );
}

export function SecurityCredentialsPage() {
  const identity = useIdentity();
  const notify = useNotify();
  return (
    <SpaceBetween size="l">
      <Header variant="h1">My security credentials</Header>
      {identity.kind === 'user' ? (
        <Container header={<Header variant="h2">Console password</Header>}>
          <ChangePasswordForm onDone={() => notify.success('Your password has been changed.')} />
        </Container>
      ) : (
        <Alert type="info">The root user's password is changed from the account's sign-in settings.</Alert>
      )}
      <MfaDevices />
      <AccessKeys />
    </SpaceBetween>
  );
}
