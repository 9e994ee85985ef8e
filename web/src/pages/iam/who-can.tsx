import Autosuggest from '@cloudscape-design/components/autosuggest';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator, { type StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import { editorApi, whoCanApi, type PrincipalAccess } from '../../client/operations';
import { EmptyState } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';

const DECISION: Record<string, StatusIndicatorProps.Type> = {
  allowed: 'success',
  denied: 'stopped',
  conditional: 'warning',
};

const CONSOLE_VERDICT: Record<string, { type: StatusIndicatorProps.Type; text: string }> = {
  allowed: { type: 'success', text: 'allowed' },
  refused: { type: 'error', text: 'refused' },
  'not-asked': { type: 'info', text: 'not asked' },
};

/** The catalog's actions of the service prefix typed so far (before the colon), as suggestions. */
function useActionSuggestions(action: string) {
  const prefix = action.includes(':') ? action.slice(0, action.indexOf(':')) : '';
  const actions = useAsync(
    async () => (prefix === '' ? [] : ((await editorApi.listServiceActions(prefix).catch(() => null))?.Actions ?? [])),
    [prefix],
  );
  return (actions.data ?? []).map((a) => ({ value: a.Action, description: a.AccessLevel }));
}

function grantedBy(answer: PrincipalAccess): string {
  const names = answer.GrantedBy.map((s) => {
    const policy = s.PolicyId?.split('/').pop() ?? '';
    const via = (s.Via ?? []).length > 0 ? ` via ${(s.Via ?? []).join(', ')}` : '';
    return `${policy}${s.Sid === undefined ? '' : ` (${s.Sid})`}${via}`;
  });
  if (answer.PrincipalType === 'root' && names.length === 0) return 'root user';
  return names.join('; ') || '-';
}

/** Who can perform an action here: every principal, the engine's decision, why, and the console's gate. */
export function WhoCanPage() {
  const [action, setAction] = useState('aws-portal:ModifyBilling');
  const [resource, setResource] = useState('');
  const [answers, setAnswers] = useState<PrincipalAccess[] | null>(null);
  const [asked, setAsked] = useState('');
  const { busy, submit } = useSubmit();
  const suggestions = useActionSuggestions(action);

  const ask = () =>
    submit(async () => {
      setAnswers(await whoCanApi.listPrincipalsWithAccess(action.trim(), resource.trim()));
      setAsked(action.trim());
    });

  return (
    <SpaceBetween size="l">
      <Header
        variant="h1"
        description="Every user, role and the root user of the account, with the decision for one action, the statements that grant it, what limits it, and whether the Billing console lets them through."
      >
        Who can?
      </Header>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void ask();
        }}
      >
        <Form
          actions={
            <Button variant="primary" formAction="submit" loading={busy} disabled={!/^[\w-]+:\w+$/.test(action.trim())}>
              Ask
            </Button>
          }
        >
          <Container>
            <SpaceBetween size="m">
              <FormField label="Action" description="One action as service:Action, e.g. aws-portal:ModifyBilling.">
                <Autosuggest
                  value={action}
                  onChange={(e) => setAction(e.detail.value)}
                  options={suggestions}
                  ariaLabel="Action"
                  clearAriaLabel="Clear action"
                  enteredTextLabel={(value) => `Use: ${value}`}
                  placeholder="service:Action"
                  empty="Type a service prefix and a colon for its actions"
                />
              </FormField>
              <FormField label="Resource - optional" description="A resource ARN; * when empty.">
                <Input value={resource} onChange={(e) => setResource(e.detail.value)} ariaLabel="Resource" />
              </FormField>
            </SpaceBetween>
          </Container>
        </Form>
      </form>
      <Table
        header={
          <Header variant="h2" counter={answers === null ? undefined : `(${answers.length})`}>
            {asked === '' ? 'Principals' : `Who can ${asked}`}
          </Header>
        }
        items={answers ?? []}
        trackBy="Arn"
        ariaLabels={{ tableLabel: 'Principals' }}
        empty={<EmptyState title="No answer yet" subtitle="Name an action, then ask." />}
        wrapLines
        columnDefinitions={[
          { id: 'type', header: 'Type', cell: (a) => a.PrincipalType },
          { id: 'name', header: 'Principal', cell: (a) => a.Name },
          {
            id: 'decision',
            header: 'Decision',
            minWidth: 140,
            cell: (a) => (
              <StatusIndicator type={DECISION[a.Decision] ?? 'info'}>
                {a.Decision}
                {(a.ConditionKeys ?? []).length > 0 ? ` (${(a.ConditionKeys ?? []).join(', ')})` : ''}
              </StatusIndicator>
            ),
          },
          { id: 'granted', header: 'Granted by', cell: grantedBy },
          {
            id: 'limited',
            header: 'Limited by',
            cell: (a) => [...a.LimitedBy, ...(a.AssumableBy ?? []).map((p) => `assumable by ${p}`)].join('; ') || '-',
          },
          {
            id: 'console',
            header: 'Billing console gate',
            cell: (a) => {
              if (a.Console === undefined) return '-';
              const verdict = CONSOLE_VERDICT[a.Console.Verdict ?? ''] ?? { type: 'info' as const, text: '' };
              return (
                <SpaceBetween size="xxxs">
                  <StatusIndicator type={verdict.type}>{verdict.text}</StatusIndicator>
                  <span>{a.Console.Reason}</span>
                  <span>Action set: {a.Console.ActionSet}</span>
                </SpaceBetween>
              );
            },
          },
        ]}
      />
    </SpaceBetween>
  );
}
