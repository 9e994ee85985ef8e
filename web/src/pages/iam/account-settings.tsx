import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import RadioGroup from '@cloudscape-design/components/radio-group';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import { iamApi, type PasswordPolicy } from '../../client/operations';
import { useNotify } from '../../components/notifications';
import { ErrorAlert, Loading } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';

/** The form's fields; numbers as typed. Expiry and reuse are on when their boxes are checked. */
interface Draft {
  mode: 'default' | 'custom';
  minLength: string;
  upper: boolean;
  lower: boolean;
  numbers: boolean;
  symbols: boolean;
  expire: boolean;
  maxAge: string;
  hardExpiry: boolean;
  allowChange: boolean;
  preventReuse: boolean;
  reuse: string;
}

/** What AWS's Edit page starts from when the account has no policy and Custom is chosen. */
const CUSTOM_DEFAULTS: Omit<Draft, 'mode'> = {
  minLength: '8',
  upper: false,
  lower: false,
  numbers: false,
  symbols: false,
  expire: false,
  maxAge: '90',
  hardExpiry: false,
  allowChange: false,
  preventReuse: false,
  reuse: '5',
};

const IAM_DEFAULT_RULES = [
  'Minimum password length is 8 characters',
  "Include a minimum of three of the following mix of character types: uppercase, lowercase, numbers, and ! @ # $ % ^ & * ( ) _ + - = [ ] { } | ' symbols",
  'Must not be identical to the user name',
];

function draftOf(policy: PasswordPolicy | null): Draft {
  if (policy === null) return { mode: 'default', ...CUSTOM_DEFAULTS };
  return {
    mode: 'custom',
    minLength: String(policy.MinimumPasswordLength),
    upper: policy.RequireUppercaseCharacters,
    lower: policy.RequireLowercaseCharacters,
    numbers: policy.RequireNumbers,
    symbols: policy.RequireSymbols,
    expire: policy.MaxPasswordAge !== undefined,
    maxAge: String(policy.MaxPasswordAge ?? 90),
    hardExpiry: policy.HardExpiry ?? false,
    allowChange: policy.AllowUsersToChangePassword,
    preventReuse: policy.PasswordReusePrevention !== undefined,
    reuse: String(policy.PasswordReusePrevention ?? 5),
  };
}

/** The rules of a custom policy, as the Account settings page lists them. */
function rulesOf(p: PasswordPolicy): string[] {
  const types = [
    p.RequireUppercaseCharacters && 'uppercase letter',
    p.RequireLowercaseCharacters && 'lowercase letter',
    p.RequireNumbers && 'number',
    p.RequireSymbols && 'non-alphanumeric character',
  ].filter(Boolean);
  return [
    `Minimum password length is ${p.MinimumPasswordLength} characters`,
    ...types.map((t) => `Require at least one ${t}`),
    p.MaxPasswordAge !== undefined
      ? `Password expires in ${p.MaxPasswordAge} day(s)${p.HardExpiry ? ' (administrator reset required)' : ''}`
      : 'Password never expires',
    p.AllowUsersToChangePassword
      ? 'Allow users to change their own password'
      : 'Users can not change their own password',
    p.PasswordReusePrevention !== undefined
      ? `Remember last ${p.PasswordReusePrevention} password(s) and prevent reuse`
      : 'Password reuse allowed',
  ];
}

function PasswordPolicyEditor({ policy, onDone }: { policy: PasswordPolicy | null; onDone: () => void }) {
  const notify = useNotify();
  const { busy, submit } = useSubmit();
  const [draft, setDraft] = useState(() => draftOf(policy));
  const set = (change: Partial<Draft>) => setDraft({ ...draft, ...change });

  const save = () =>
    submit(async () => {
      if (draft.mode === 'default') {
        // IAM default: the account's own policy is removed (when it has one).
        if (policy !== null) await iamApi.deleteAccountPasswordPolicy();
      } else {
        await iamApi.updateAccountPasswordPolicy({
          MinimumPasswordLength: Number(draft.minLength),
          RequireUppercaseCharacters: draft.upper,
          RequireLowercaseCharacters: draft.lower,
          RequireNumbers: draft.numbers,
          RequireSymbols: draft.symbols,
          AllowUsersToChangePassword: draft.allowChange,
          ...(draft.expire ? { MaxPasswordAge: Number(draft.maxAge), HardExpiry: draft.hardExpiry } : {}),
          ...(draft.preventReuse ? { PasswordReusePrevention: Number(draft.reuse) } : {}),
        });
      }
      notify.success('Password policy updated.');
      onDone();
    });

  return (
    <form onSubmit={(e) => e.preventDefault()} aria-label="Edit password policy">
      <Form
        header={<Header variant="h1">Edit password policy</Header>}
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={onDone}>
              Cancel
            </Button>
            <Button variant="primary" loading={busy} onClick={() => void save()}>
              Save changes
            </Button>
          </SpaceBetween>
        }
      >
        <Container header={<Header variant="h2">Password policy</Header>}>
          <SpaceBetween size="l">
            <RadioGroup
              ariaLabel="Password policy"
              value={draft.mode}
              onChange={(e) => set({ mode: e.detail.value as Draft['mode'] })}
              items={[
                {
                  value: 'default',
                  label: 'IAM default',
                  description: 'Apply default password requirements.',
                },
                { value: 'custom', label: 'Custom', description: 'Apply customized password requirements.' },
              ]}
            />
            {draft.mode === 'custom' && (
              <>
                <FormField label="Password minimum length" constraintText="Needs to be between 6 and 128 characters.">
                  <Input
                    type="number"
                    value={draft.minLength}
                    onChange={(e) => set({ minLength: e.detail.value })}
                    ariaLabel="Password minimum length"
                  />
                </FormField>
                <FormField label="Password strength">
                  <SpaceBetween size="xxs">
                    <Checkbox checked={draft.upper} onChange={(e) => set({ upper: e.detail.checked })}>
                      Require at least one uppercase letter from the Latin alphabet (A-Z)
                    </Checkbox>
                    <Checkbox checked={draft.lower} onChange={(e) => set({ lower: e.detail.checked })}>
                      Require at least one lowercase letter from the Latin alphabet (a-z)
                    </Checkbox>
                    <Checkbox checked={draft.numbers} onChange={(e) => set({ numbers: e.detail.checked })}>
                      Require at least one number
                    </Checkbox>
                    <Checkbox checked={draft.symbols} onChange={(e) => set({ symbols: e.detail.checked })}>
                      {"Require at least one non-alphanumeric character ( ! @ # $ % ^ & * ( ) _ + - = [ ] { } | ' )"}
                    </Checkbox>
                  </SpaceBetween>
                </FormField>
                <FormField label="Other requirements">
                  <SpaceBetween size="xs">
                    <Checkbox checked={draft.expire} onChange={(e) => set({ expire: e.detail.checked })}>
                      Turn on password expiration
                    </Checkbox>
                    {draft.expire && (
                      <FormField label="Expire passwords in day(s)" constraintText="Between 1 and 1095 days.">
                        <Input
                          type="number"
                          value={draft.maxAge}
                          onChange={(e) => set({ maxAge: e.detail.value })}
                          ariaLabel="Expire passwords in day(s)"
                        />
                      </FormField>
                    )}
                    {draft.expire && (
                      <Checkbox checked={draft.hardExpiry} onChange={(e) => set({ hardExpiry: e.detail.checked })}>
                        Password expiration requires administrator reset
                      </Checkbox>
                    )}
                    <Checkbox checked={draft.allowChange} onChange={(e) => set({ allowChange: e.detail.checked })}>
                      Allow users to change their own password
                    </Checkbox>
                    <Checkbox checked={draft.preventReuse} onChange={(e) => set({ preventReuse: e.detail.checked })}>
                      Prevent password reuse
                    </Checkbox>
                    {draft.preventReuse && (
                      <FormField label="Remember password(s)" constraintText="Between 1 and 24 passwords.">
                        <Input
                          type="number"
                          value={draft.reuse}
                          onChange={(e) => set({ reuse: e.detail.value })}
                          ariaLabel="Remember password(s)"
                        />
                      </FormField>
                    )}
                  </SpaceBetween>
                </FormField>
              </>
            )}
          </SpaceBetween>
        </Container>
      </Form>
    </form>
  );
}

/** IAM → Account settings: the account password policy (GetAccountPasswordPolicy), and Edit. */
export function AccountSettingsPage() {
  const policy = useAsync(iamApi.getAccountPasswordPolicy, []);
  const [editing, setEditing] = useState(false);
  if (policy.loading && policy.data === undefined) return <Loading />;
  if (policy.error) return <ErrorAlert error={policy.error} />;
  const current = policy.data ?? null;
  if (editing) {
    return (
      <PasswordPolicyEditor
        policy={current}
        onDone={() => {
          setEditing(false);
          policy.reload();
        }}
      />
    );
  }
  return (
    <SpaceBetween size="l">
      <Header variant="h1">Account settings</Header>
      <Container
        header={
          <Header
            variant="h2"
            description="A password policy is a set of rules that define the type of password an IAM user can set."
            actions={<Button onClick={() => setEditing(true)}>Edit</Button>}
          >
            Password policy
          </Header>
        }
      >
        <SpaceBetween size="s">
          <Box variant="p" data-testid="password-policy-kind">
            {current === null
              ? 'This AWS account uses the following default password policy:'
              : 'This AWS account uses the following custom password policy:'}
          </Box>
          <ul aria-label="Password policy rules">
            {(current === null ? IAM_DEFAULT_RULES : rulesOf(current)).map((rule) => (
              <li key={rule}>{rule}</li>
            ))}
          </ul>
        </SpaceBetween>
      </Container>
    </SpaceBetween>
  );
}
