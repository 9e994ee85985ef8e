import Button from '@cloudscape-design/components/button';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Link from '@cloudscape-design/components/link';
import { useState, type FormEvent } from 'react';
import { consoleApi } from '../../client/api';
import { AuthFrame } from './auth-frame';

export function MfaPage() {
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await consoleApi.submitMfa(code.trim());
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setCode('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <AuthFrame
      title="Multi-factor authentication"
      description="Your account is secured using multi-factor authentication (MFA)."
    >
      <form onSubmit={submit} aria-label="Multi-factor authentication">
        <Form
          actions={
            <Button variant="primary" formAction="submit" loading={busy}>
              Submit
            </Button>
          }
          secondaryActions={<Link onFollow={() => void consoleApi.signOut()}>Cancel</Link>}
          errorText={error}
          errorIconAriaLabel="Error"
        >
          <FormField label="MFA code" description="Enter the code from your authenticator app.">
            <Input
              value={code}
              onChange={(e) => setCode(e.detail.value)}
              inputMode="numeric"
              autoComplete="one-time-code"
              ariaLabel="MFA code"
            />
          </FormField>
        </Form>
      </form>
    </AuthFrame>
  );
}
