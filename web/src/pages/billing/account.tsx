import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useState } from 'react';
import { billingApi } from '../../client/operations';
import { useNotify } from '../../components/notifications';
import { PageGate } from '../../components/permission-gate';
import { ErrorAlert, Loading } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useIdentity } from '../../session';

function IamAccessSection() {
  const notify = useNotify();
  const access = useAsync(billingApi.getIamAccess, []);
  const [editing, setEditing] = useState(false);
  const [activate, setActivate] = useState(false);
  const [busy, setBusy] = useState(false);
  if (access.loading) return <Loading />;
  if (access.error) return <ErrorAlert error={access.error} />;
  const on = access.data?.IamUserAccessToBilling === 'ALLOW';

  const update = async () => {
    setBusy(true);
    try {
      await billingApi.updateIamAccess(activate);
      notify.success(
        activate
          ? 'IAM user/role access to billing information is activated.'
          : 'IAM user/role access to billing information is deactivated.',
      );
      setEditing(false);
      access.reload();
    } catch (e) {
      notify.error(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Container
      header={
        <Header
          variant="h2"
          actions={
            !editing && (
              <Button
                onClick={() => {
                  setActivate(on);
                  setEditing(true);
                }}
                ariaLabel="Edit IAM User and Role Access to Billing Information"
              >
                Edit
              </Button>
            )
          }
          description="You can give IAM users and federated users with roles permissions to access billing information. This includes access to Account Settings, Payment Methods, and Report pages. You control which users and roles can see billing information by creating IAM policies."
        >
          IAM User and Role Access to Billing Information
        </Header>
      }
    >
      {editing ? (
        <SpaceBetween size="m">
          <Checkbox checked={activate} onChange={(e) => setActivate(e.detail.checked)}>
            Activate IAM Access
          </Checkbox>
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={() => setEditing(false)}>
              Cancel
            </Button>
            <Button variant="primary" loading={busy} onClick={() => void update()}>
              Update
            </Button>
          </SpaceBetween>
        </SpaceBetween>
      ) : (
        <StatusIndicator type={on ? 'success' : 'stopped'}>
          {on
            ? 'IAM user/role access to billing information is activated.'
            : 'IAM user/role access to billing information is deactivated.'}
        </StatusIndicator>
      )}
    </Container>
  );
}

export function AccountPage() {
  const identity = useIdentity();
  return (
    <SpaceBetween size="l">
      <Header variant="h1">Account</Header>
      <PageGate page="account">
        <SpaceBetween size="l">
          <Container header={<Header variant="h2">Account settings</Header>}>
            <ColumnLayout columns={2} variant="text-grid">
              <div>
                <Box variant="awsui-key-label">Account ID</Box>
                <div>{identity.accountId}</div>
              </div>
              <div>
                <Box variant="awsui-key-label">Account alias</Box>
                <div>{identity.accountAlias ?? '-'}</div>
              </div>
            </ColumnLayout>
          </Container>
          <IamAccessSection />
        </SpaceBetween>
      </PageGate>
    </SpaceBetween>
  );
}
