import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Multiselect from '@cloudscape-design/components/multiselect';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import { iamApi } from '../../client/operations';
import { useNotify } from '../../components/notifications';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';
import { navigate } from '../../router';

export function UserCreatePage() {
  const notify = useNotify();
  const groups = useAsync(iamApi.listGroups, []);
  const [userName, setUserName] = useState('');
  const [consoleAccess, setConsoleAccess] = useState(true);
  const [password, setPassword] = useState('');
  const [resetRequired, setResetRequired] = useState(false);
  const [selectedGroups, setSelectedGroups] = useState<readonly { value?: string; label?: string }[]>([]);
  const { busy, submit } = useSubmit();

  const create = () =>
    submit(async () => {
      await iamApi.createUser(userName);
      if (consoleAccess) {
        // A password the account's policy refuses leaves no half-made user behind: the user is deleted again
        // (its own authorized call) and the refusal shown.
        await iamApi.createLoginProfile(userName, password, resetRequired).catch(async (refusal: unknown) => {
          await iamApi.deleteUser(userName);
          throw refusal;
        });
      }
      // As AWS's console does: a user who must pick a new password gets the right to change it.
      if (consoleAccess && resetRequired) {
        await iamApi.attachUserPolicy(userName, 'arn:aws:iam::aws:policy/IAMUserChangePassword');
      }
      for (const g of selectedGroups) await iamApi.addUserToGroup(g.value!, userName);
      notify.success(`User ${userName} created successfully.`, undefined, true);
      navigate('/iam/users');
    });

  return (
    <form onSubmit={(e) => e.preventDefault()} aria-label="Create user">
      <Form
        header={<Header variant="h1">Create user</Header>}
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={() => navigate('/iam/users')}>
              Cancel
            </Button>
            <Button variant="primary" loading={busy} onClick={() => void create()} disabled={userName === ''}>
              Create user
            </Button>
          </SpaceBetween>
        }
      >
        <SpaceBetween size="l">
          <Container header={<Header variant="h2">User details</Header>}>
            <SpaceBetween size="l">
              <FormField label="User name" constraintText="Up to 64 characters: letters, digits and + = , . @ _ -">
                <Input value={userName} onChange={(e) => setUserName(e.detail.value)} ariaLabel="User name" />
              </FormField>
              <Checkbox checked={consoleAccess} onChange={(e) => setConsoleAccess(e.detail.checked)}>
                Provide user access to the AWS Management Console
              </Checkbox>
              {consoleAccess && (
                <>
                  <FormField label="Console password" description="Custom password">
                    <Input
                      value={password}
                      onChange={(e) => setPassword(e.detail.value)}
                      type="password"
                      ariaLabel="Console password"
                    />
                  </FormField>
                  <Checkbox
                    checked={resetRequired}
                    onChange={(e) => setResetRequired(e.detail.checked)}
                    description="Users automatically get the IAMUserChangePassword policy to allow them to change their own password."
                  >
                    Users must create a new password at next sign-in
                  </Checkbox>
                </>
              )}
            </SpaceBetween>
          </Container>
          <Container header={<Header variant="h2">Set permissions: Add user to group</Header>}>
            <FormField label="User groups">
              <Multiselect
                selectedOptions={selectedGroups}
                onChange={(e) => setSelectedGroups(e.detail.selectedOptions)}
                options={(groups.data ?? []).map((g) => ({ value: g.GroupName, label: g.GroupName }))}
                statusType={groups.loading ? 'loading' : groups.error ? 'error' : 'finished'}
                errorText={groups.error?.message}
                placeholder="Choose user groups"
                filteringType="auto"
                ariaLabel="User groups"
                empty="No user groups"
              />
            </FormField>
          </Container>
        </SpaceBetween>
      </Form>
    </form>
  );
}
