import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Tiles from '@cloudscape-design/components/tiles';
import { useState, type FormEvent } from 'react';
import { consoleApi, type SessionView } from '../../client/api';
import { followHref, useRoute } from '../../router';
import { AuthFrame } from './auth-frame';

type Kind = 'root' | 'iam';

export function SignInPage({ session }: { session: SessionView }) {
  const remembered = session.rememberedAccount;
  // The account's sign-in URL (IAM dashboard, a new user's credentials) names the account.
  const named = useRoute().query.get('account');
  const [kind, setKind] = useState<Kind>(remembered !== null || named !== null ? 'iam' : 'root');
  const [email, setEmail] = useState('');
  const [account, setAccount] = useState(named ?? remembered ?? '');
  const [userName, setUserName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (kind === 'root') await consoleApi.signInRoot({ email, password });
      else await consoleApi.signInIam({ account, userName, password });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  const differentAccount = async () => {
    await consoleApi.forgetAccount();
    setAccount('');
    setKind('root');
  };

  return (
    <AuthFrame title="Sign in">
      <form onSubmit={submit} aria-label="Sign in">
        <Form
          actions={
            <Button variant="primary" formAction="submit" loading={busy} data-testid="sign-in">
              Sign in
            </Button>
          }
          errorText={error}
          errorIconAriaLabel="Error"
        >
          <SpaceBetween size="l">
            <Tiles
              ariaLabel="User type"
              value={kind}
              onChange={(e) => setKind(e.detail.value as Kind)}
              items={[
                {
                  value: 'root',
                  label: 'Root user',
                  description: 'Account owner that performs tasks requiring unrestricted access.',
                },
                { value: 'iam', label: 'IAM user', description: 'User within an account that performs daily tasks.' },
              ]}
            />
            {kind === 'root' ? (
              <FormField label="Root user email address">
                <Input
                  value={email}
                  onChange={(e) => setEmail(e.detail.value)}
                  type="email"
                  autoComplete="username"
                  ariaLabel="Root user email address"
                />
              </FormField>
            ) : (
              <>
                <FormField label="Account ID (12 digits) or account alias">
                  <Input
                    value={account}
                    onChange={(e) => setAccount(e.detail.value)}
                    ariaLabel="Account ID (12 digits) or account alias"
                  />
                </FormField>
                <FormField label="IAM user name">
                  <Input
                    value={userName}
                    onChange={(e) => setUserName(e.detail.value)}
                    autoComplete="username"
                    ariaLabel="IAM user name"
                  />
                </FormField>
              </>
            )}
            <FormField label="Password">
              <Input
                value={password}
                onChange={(e) => setPassword(e.detail.value)}
                type="password"
                autoComplete="current-password"
                ariaLabel="Password"
              />
            </FormField>
          </SpaceBetween>
        </Form>
      </form>
      <Box padding={{ top: 'l' }}>
        <SpaceBetween size="xs">
          {kind === 'iam' && remembered !== null && (
            <Link onFollow={() => void differentAccount()} data-testid="different-account">
              Sign in to a different account
            </Link>
          )}
          <Link href="#/signup" onFollow={followHref}>
            Create a new AWS account
          </Link>
        </SpaceBetween>
      </Box>
      {error === null && remembered !== null && kind === 'iam' && (
        <Box padding={{ top: 's' }}>
          <Alert type="info">Signing in to account {remembered}.</Alert>
        </Box>
      )}
    </AuthFrame>
  );
}
