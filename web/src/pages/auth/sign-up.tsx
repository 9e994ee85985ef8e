import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState, type FormEvent } from 'react';
import { consoleApi } from '../../client/api';
import { followHref } from '../../router';
import { AuthFrame } from './auth-frame';

export function SignUpPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [accountName, setAccountName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const mismatch = confirm !== '' && confirm !== password;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (mismatch) return;
    setBusy(true);
    setError(null);
    try {
      await consoleApi.signUp({ email, password, accountName });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthFrame title="Sign up for AWS" description="Create a test account. You sign in to it as its root user.">
      <form onSubmit={submit} aria-label="Sign up">
        <Form
          actions={
            <Button variant="primary" formAction="submit" loading={busy}>
              Create account
            </Button>
          }
          errorText={error}
          errorIconAriaLabel="Error"
        >
          <SpaceBetween size="l">
            <FormField label="Root user email address">
              <Input
                value={email}
                onChange={(e) => setEmail(e.detail.value)}
                type="email"
                ariaLabel="Root user email address"
              />
            </FormField>
            <FormField label="AWS account name" description="Choose a name for your account. You can change it later.">
              <Input
                value={accountName}
                onChange={(e) => setAccountName(e.detail.value)}
                ariaLabel="AWS account name"
              />
            </FormField>
            <FormField label="Root user password">
              <Input
                value={password}
                onChange={(e) => setPassword(e.detail.value)}
                type="password"
                ariaLabel="Root user password"
              />
            </FormField>
            <FormField label="Confirm root user password" errorText={mismatch ? 'Passwords must match.' : undefined}>
              <Input
                value={confirm}
                onChange={(e) => setConfirm(e.detail.value)}
                type="password"
                ariaLabel="Confirm root user password"
              />
            </FormField>
          </SpaceBetween>
        </Form>
      </form>
      <Box padding={{ top: 'l' }}>
        <Link href="#/signin" onFollow={followHref}>
          Sign in to an existing AWS account
        </Link>
      </Box>
    </AuthFrame>
  );
}
