import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useState } from 'react';
import { blobDataUrl, blobText, iamApi } from '../../client/operations';
import { formatDate } from '../../components/format';
import { useNotify } from '../../components/notifications';
import { ErrorAlert } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';
import { useIdentity } from '../../session';
import { ChangePasswordForm } from '../auth/change-password';
import { AccessKeys } from './user-credentials';

function MfaDevices() {
  const identity = useIdentity();
  const notify = useNotify();
  const devices = useAsync(iamApi.listOwnMfaDevices, []);
  const [assigning, setAssigning] = useState<{ serial: string; seed: string; qrCode: string } | null>(null);
  const [name, setName] = useState('');
  const [code1, setCode1] = useState('');
  const [code2, setCode2] = useState('');
  const { busy, submit } = useSubmit();
  const start = () =>
    submit(async () => {
      const device = await iamApi.createVirtualMfaDevice(name || `${identity.userName ?? 'root'}-mfa`);
      setAssigning({
        serial: device.SerialNumber,
        seed: blobText(device.Base32StringSeed),
        qrCode: blobDataUrl(device.QRCodePNG, 'image/png'),
      });
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
            <FormField label="QR code" description="Scan it with your authenticator app.">
              <img src={assigning.qrCode} alt="QR code of the MFA device's secret key" width={164} height={164} />
            </FormField>
            <FormField
              label="Secret key"
              description="Or enter this key in your authenticator app (time-based, 6 digits, 30 seconds)."
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
