import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import { ApiError } from '../../client/api';
import { organizationsApi } from '../../client/operations';
import { useNotify } from '../../components/notifications';
import { useSubmit } from '../../components/use-submit';
import { navigate } from '../../router';

/** CreateAccount's failure reasons, in the words AWS's console uses for them. */
const FAILURE_REASONS: Record<string, string> = {
  EMAIL_ALREADY_EXISTS: 'An account with this email address already exists.',
  ACCOUNT_LIMIT_EXCEEDED: 'The organization has reached its limit of accounts.',
};

/** "Add an AWS account" → Create an AWS account: a new member account, owned and paid for by the organization. */
export function AddAccountPage() {
  const notify = useNotify();
  const { busy, submit } = useSubmit();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');

  const create = () =>
    submit(async () => {
      const status = await organizationsApi.createAccount(name.trim(), email.trim());
      if (status.State === 'FAILED') {
        const reason = status.FailureReason ?? 'FAILED';
        // CreateAccount itself succeeds; the request's status says the account was not made.
        throw new ApiError(400, reason, FAILURE_REASONS[reason] ?? `The account could not be created (${reason}).`);
      }
      notify.success(`AWS account ${status.AccountName} (${status.AccountId ?? ''}) was created.`, undefined, true);
      navigate('/organizations/accounts');
    });

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void create();
      }}
    >
      <Form
        header={
          <Header
            variant="h1"
            description="Create an AWS account that joins your organization. Its root user has no password; the management account reaches it by assuming the OrganizationAccountAccessRole role (administrator access) that is created in it."
          >
            Add an AWS account
          </Header>
        }
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button formAction="none" variant="link" onClick={() => navigate('/organizations/accounts')}>
              Cancel
            </Button>
            <Button variant="primary" loading={busy} disabled={name.trim() === '' || email.trim() === ''}>
              Create AWS account
            </Button>
          </SpaceBetween>
        }
      >
        <Container header={<Header variant="h2">Create an AWS account</Header>}>
          <SpaceBetween size="l">
            <FormField label="AWS account name" constraintText="Up to 50 characters.">
              <Input value={name} onChange={(e) => setName(e.detail.value)} ariaLabel="AWS account name" />
            </FormField>
            <FormField
              label="Email address of the account's owner"
              description="Must not be used by another AWS account."
            >
              <Input
                type="email"
                value={email}
                onChange={(e) => setEmail(e.detail.value)}
                ariaLabel="Email address of the account's owner"
              />
            </FormField>
          </SpaceBetween>
        </Container>
      </Form>
    </form>
  );
}
