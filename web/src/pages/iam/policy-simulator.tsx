import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import { iamApi, type SimulationResult } from '../../client/operations';
import { EmptyState } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';

const DECISION: Record<SimulationResult['EvalDecision'], { type: 'success' | 'error' | 'stopped'; text: string }> = {
  allowed: { type: 'success', text: 'allowed' },
  explicitDeny: { type: 'error', text: 'denied (explicit deny)' },
  implicitDeny: { type: 'stopped', text: 'denied (no statement allows it)' },
};

/** Choose a principal and actions; see each decision and the statements that made it. */
export function PolicySimulatorPage() {
  const principals = useAsync(async () => {
    const [users, groups, roles] = await Promise.all([iamApi.listUsers(), iamApi.listGroups(), iamApi.listRoles()]);
    return [
      { label: 'Users', options: users.map((u) => ({ value: u.Arn, label: u.UserName })) },
      { label: 'User groups', options: groups.map((g) => ({ value: g.Arn, label: g.GroupName })) },
      { label: 'Roles', options: roles.map((r) => ({ value: r.Arn, label: r.RoleName })) },
    ];
  }, []);
  const [principal, setPrincipal] = useState<SelectProps.Option | null>(null);
  const [actions, setActions] = useState('aws-portal:ViewBilling, aws-portal:ModifyBilling');
  const [resources, setResources] = useState('');
  const [results, setResults] = useState<SimulationResult[] | null>(null);
  const { busy, submit } = useSubmit();
  const list = (text: string) =>
    text
      .split(/[\s,]+/)
      .map((a) => a.trim())
      .filter(Boolean);

  const run = () =>
    submit(async () => {
      setResults(await iamApi.simulatePrincipalPolicy(principal!.value!, list(actions), list(resources)));
    });

  return (
    <SpaceBetween size="l">
      <Header
        variant="h1"
        description="Test which actions a user, group or role may perform, and see the statement that decided."
      >
        Policy simulator
      </Header>
      <Container>
        <SpaceBetween size="m">
          <FormField label="Principal">
            <Select
              selectedOption={principal}
              onChange={(e) => setPrincipal(e.detail.selectedOption)}
              options={principals.data ?? []}
              statusType={principals.loading ? 'loading' : principals.error ? 'error' : 'finished'}
              errorText={principals.error?.message}
              placeholder="Choose a user, group or role"
              filteringType="auto"
              ariaLabel="Principal"
            />
          </FormField>
          <FormField label="Actions" description="Action names separated by commas, e.g. aws-portal:ViewBilling.">
            <Input value={actions} onChange={(e) => setActions(e.detail.value)} ariaLabel="Actions" />
          </FormField>
          <FormField label="Resources - optional" description="Resource ARNs separated by commas; * when empty.">
            <Input value={resources} onChange={(e) => setResources(e.detail.value)} ariaLabel="Resources" />
          </FormField>
          <Button
            variant="primary"
            loading={busy}
            disabled={principal === null || list(actions).length === 0}
            onClick={() => void run()}
          >
            Run simulation
          </Button>
        </SpaceBetween>
      </Container>
      <Table
        header={<Header variant="h2">Results</Header>}
        items={results ?? []}
        empty={<EmptyState title="No results" subtitle="Choose a principal and actions, then run the simulation." />}
        columnDefinitions={[
          { id: 'action', header: 'Action', cell: (r) => r.EvalActionName },
          { id: 'resource', header: 'Resource', cell: (r) => r.EvalResourceName ?? '*' },
          {
            id: 'decision',
            header: 'Decision',
            cell: (r) => (
              <StatusIndicator type={DECISION[r.EvalDecision].type}>{DECISION[r.EvalDecision].text}</StatusIndicator>
            ),
          },
          {
            id: 'matched',
            header: 'Matched statements',
            cell: (r) => (r.MatchedStatements ?? []).map((m) => m.SourcePolicyId).join(', ') || '-',
          },
        ]}
      />
    </SpaceBetween>
  );
}
