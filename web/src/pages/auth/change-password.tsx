import Button from '@cloudscape-design/components/button';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState, type FormEvent } from 'react';
import { consoleApi } from '../../client/api';
import { AuthFrame } from './auth-frame';

/** The form of the first sign-in password change and of Security credentials → Update console password. */
export function ChangePasswordForm({ onDone }: { onDone?: () => void }) {
  const [oldPassword, setOld] = useState('');
  const [newPassword, setNew] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const mismatch = confirm !== '' && confirm !== newPassword;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (mismatch) return;
    setBusy(true);
    setError(null);
    try {
      await consoleApi.changePassword({ oldPassword, newPassword });
      onDone?.();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} aria-label="Change password">
      <Form
        actions={
          <Button variant="primary" formAction="submit" loading={busy}>
            Confirm password change
          </Button>
        }
        errorText={error}
        errorIconAriaLabel="Error"
      >
        <SpaceBetween size="l">
          <FormField label="Old password">
            <Input
              value={oldPassword}
              onChange={(e) => setOld(e.detail.value)}
              type="password"
              ariaLabel="Old password"
            />
          </FormField>
          <FormField label="New password">
            <Input
              value={newPassword}
              onChange={(e) => setNew(e.detail.value)}
              type="password"
              ariaLabel="New password"
            />
          </FormField>
          <FormField label="Retype new password" errorText={mismatch ? 'Passwords must match.' : undefined}>
            <Input
              value={confirm}
              onChange={(e) => setConfirm(e.detail.value)}
              type="password"
              ariaLabel="Retype new password"
            />
          </FormField>
        </SpaceBetween>
      </Form>
    </form>
  );
}

export function ChangePasswordPage() {
  return (
    <AuthFrame title="Change password" description="You must change your password to continue.">
      <ChangePasswordForm />
    </AuthFrame>
  );
}
