import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import { signInUrlOf } from '../../components/format';
import { iamApi } from '../../client/operations';
import { useNotify } from '../../components/notifications';
import { ErrorAlert, Loading } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';
import { useIdentity } from '../../session';
import { ScenarioExport } from './scenario-export';

/** IAM dashboard: the account, its alias (the sign-in name IAM users may type), and resource counts. */
export function IamDashboardPage() {
  const identity = useIdentity();
  const notify = useNotify();
  const { busy, submit } = useSubmit();
  const aliases = useAsync(iamApi.listAccountAliases, []);
  const summary = useAsync(iamApi.getAccountSummary, []);
  const [creating, setCreating] = useState(false);
  const [alias, setAlias] = useState('');
  const current = aliases.data?.[0];

  const create = () =>
    submit(async () => {
      await iamApi.createAccountAlias(alias);
      notify.success(`Account alias ${alias} created. IAM users can now sign in with it.`);
      setCreating(false);
      aliases.reload();
    });
  const remove = () =>
    submit(async () => {
      await iamApi.deleteAccountAlias(current!);
      notify.success(`Account alias ${current} deleted.`);
      aliases.reload();
    });

  const counts: Array<[string, string]> = [
    ['Users', 'Users'],
    ['User groups', 'Groups'],
    ['Roles', 'Roles'],
    ['Customer managed policies', 'Policies'],
  ];
  return (
    <SpaceBetween size="l">
      <Header variant="h1">IAM dashboard</Header>
      <Container
        header={
          <Header
            variant="h2"
            actions={
              current === undefined ? (
                <Button onClick={() => setCreating(true)}>Create</Button>
              ) : (
                <Button loading={busy} onClick={() => void remove()}>
                  Delete alias
                </Button>
              )
            }
          >
            AWS Account
          </Header>
        }
      >
        {aliases.loading ? (
          <Loading />
        ) : aliases.error ? (
          <ErrorAlert error={aliases.error} />
        ) : (
          <ColumnLayout columns={3} variant="text-grid">
            <div>
              <Box variant="awsui-key-label">Account ID</Box>
              <div>{identity.accountId}</div>
            </div>
            <div>
              <Box variant="awsui-key-label">Account Alias</Box>
              <div>{current ?? '-'}</div>
            </div>
            <div>
              <Box variant="awsui-key-label">Sign-in URL for IAM users in this account</Box>
              <div data-testid="sign-in-url">{signInUrlOf(current ?? identity.accountId)}</div>
              <Box variant="small">Sign in with the account ID{current ? ` or ${current}` : ''}.</Box>
            </div>
          </ColumnLayout>
        )}
      </Container>
      <Container header={<Header variant="h2">IAM resources</Header>}>
        {summary.error ? (
          <ErrorAlert error={summary.error} />
        ) : (
          <ColumnLayout columns={4} variant="text-grid">
            {counts.map(([label, key]) => (
              <div key={key}>
                <Box variant="awsui-key-label">{label}</Box>
                <Box variant="awsui-value-large">{summary.loading ? '…' : (summary.data?.[key] ?? 0)}</Box>
              </div>
            ))}
          </ColumnLayout>
        )}
      </Container>
      <ScenarioExport />
      <Modal
        closeAriaLabel="Close dialog"
        visible={creating}
        onDismiss={() => setCreating(false)}
        header="Create alias for AWS account"
        footer={
          <Box float="right">
            <SpaceBetween direction="horizontal" size="xs">
              <Button variant="link" onClick={() => setCreating(false)}>
                Cancel
              </Button>
              <Button variant="primary" loading={busy} disabled={alias === ''} onClick={() => void create()}>
                Create alias
              </Button>
            </SpaceBetween>
          </Box>
        }
      >
        <FormField
          label="Preferred alias"
          constraintText="Lowercase letters, digits and hyphens; 3 to 63 characters; must not start or end with a hyphen."
        >
          <Input value={alias} onChange={(e) => setAlias(e.detail.value)} ariaLabel="Preferred alias" />
        </FormField>
      </Modal>
    </SpaceBetween>
  );
}
