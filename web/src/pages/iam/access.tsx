import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator, { type StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import Toggle from '@cloudscape-design/components/toggle';
import { useState } from 'react';
import { accessApi, type AccessMatrix, type AccessMatrixRow } from '../../client/operations';
import { EmptyState, ErrorAlert } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { followHref } from '../../router';

export const DECISION: Record<string, StatusIndicatorProps.Type> = {
  allowed: 'success',
  denied: 'stopped',
  conditional: 'warning',
};

/** What refuses, in words, for an implicit deny (the policy types the engine names). */
const LIMIT: Record<string, string> = {
  identity: 'no identity-based policy allows it',
  permissionBoundary: 'the permissions boundary',
  scp: 'a service control policy',
  rcp: 'a resource control policy',
  session: 'the session policy',
};

const REASON: Record<string, string> = {
  'iam-access-off': 'IAM user and role access to Billing information is off for this account.',
  policy: 'The policies do not allow every action the page asks for.',
};

type Statement = NonNullable<
  NonNullable<NonNullable<AccessMatrixRow['Cells']>[number]['Actions']>[number]['GrantedBy']
>[number];

/** A statement as a link to its policy (an inline policy has no page of its own: its owner's name is shown). */
function StatementLink({ statement }: { statement: Statement }) {
  const id = statement.PolicyId ?? '';
  const name = id.split('/').pop() ?? id;
  const sid = statement.Sid === undefined ? '' : ` (${statement.Sid})`;
  const via = (statement.Via ?? []).filter((v) => v.startsWith('group/')).map((v) => ` via ${v}`);
  if (statement.Origin !== 'managed') return <span>{`${id}${sid}${via.join(',')}`}</span>;
  return (
    <span>
      <Link href={`#/iam/policy?arn=${encodeURIComponent(id)}`} onFollow={followHref}>
        {name}
      </Link>
      {`${sid}${via.join(',')}`}
    </span>
  );
}

/** Why one cell is what it is: each action the page (or button) asks for, and the statements that decide it. */
function CellExplanation({ row, column }: { row: AccessMatrixRow; column: AccessMatrix['Columns'][number] }) {
  const explained = useAsync(
    () => accessApi.matrix({ Pages: 'billing', Principal: row.Arn, Explain: true }),
    [row.Arn, column.Id],
  );
  const cell = explained.data?.Principals[0]?.Cells?.find((c) => c.Column === column.Id);
  return (
    <Container
      header={
        <Header variant="h2" description={`${row.PrincipalType} ${row.Name} → ${column.Label}`}>
          Why {cell?.Decision ?? '…'}
        </Header>
      }
    >
      {explained.error && <ErrorAlert error={explained.error} />}
      {cell !== undefined && (
        <SpaceBetween size="s">
          <StatusIndicator type={DECISION[cell.Decision ?? ''] ?? 'info'}>{cell.Decision}</StatusIndicator>
          {cell.Reason !== undefined && <Box>{REASON[cell.Reason] ?? cell.Reason}</Box>}
          {(cell.MissingActions ?? []).length > 0 && <Box>Missing: {(cell.MissingActions ?? []).join(', ')}</Box>}
          <Table
            variant="embedded"
            ariaLabels={{ tableLabel: 'Actions the cell asks for' }}
            items={cell.Actions ?? []}
            trackBy="Action"
            wrapLines
            columnDefinitions={[
              { id: 'action', header: 'Action', cell: (a) => a.Action },
              {
                id: 'decision',
                header: 'Decision',
                cell: (a) => (
                  <StatusIndicator type={DECISION[a.Decision ?? ''] ?? 'info'}>
                    {a.Decision}
                    {(a.ConditionKeys ?? []).length > 0 ? ` (${(a.ConditionKeys ?? []).join(', ')})` : ''}
                  </StatusIndicator>
                ),
              },
              {
                id: 'granted',
                header: 'Granted by',
                cell: (a) =>
                  (a.GrantedBy ?? []).length === 0 ? (
                    row.PrincipalType === 'root' && a.Decision === 'allowed' ? (
                      'root user'
                    ) : (
                      '-'
                    )
                  ) : (
                    <SpaceBetween size="xxxs">
                      {(a.GrantedBy ?? []).map((s) => (
                        <StatementLink key={`${s.PolicyId}#${s.StatementIndex}`} statement={s} />
                      ))}
                    </SpaceBetween>
                  ),
              },
              {
                id: 'denied',
                header: 'Denied by',
                cell: (a) =>
                  (a.DeniedBy ?? []).length === 0 ? (
                    (a.LimitedBy ?? []).map((t) => LIMIT[t] ?? t).join(', ') || '-'
                  ) : (
                    <SpaceBetween size="xxxs">
                      {(a.DeniedBy ?? []).map((s) => (
                        <StatementLink key={`${s.PolicyId}#${s.StatementIndex}`} statement={s} />
                      ))}
                    </SpaceBetween>
                  ),
              },
            ]}
          />
        </SpaceBetween>
      )}
    </Container>
  );
}

const ALL: SelectProps.Option = { value: '', label: 'All principals' };

/**
 * IAM → Access: every principal × every Billing console page (and, on request, button), as the console's gate
 * decides it (the account's action set, the IAM-access switch, the policies); a cell explains itself on click.
 */
export function AccessPage() {
  const matrix = useAsync(() => accessApi.matrix({ Pages: 'billing' }), []);
  const [filter, setFilter] = useState<SelectProps.Option>(ALL);
  const [buttons, setButtons] = useState(false);
  const [selected, setSelected] = useState<{ row: AccessMatrixRow; column: AccessMatrix['Columns'][number] }>();
  const data = matrix.data;
  const groups = [...new Set((data?.Principals ?? []).flatMap((p) => p.Groups))].sort();
  const options: SelectProps.OptionGroup[] = [
    {
      label: 'By type',
      options: [
        { value: 'type:user', label: 'Users' },
        { value: 'type:role', label: 'Roles' },
        { value: 'type:root', label: 'Root user' },
      ],
    },
    { label: 'By group', options: groups.map((g) => ({ value: `group:${g}`, label: `Members of ${g}` })) },
  ];
  const rows = (data?.Principals ?? []).filter((p) => {
    const [by, value] = (filter.value ?? '').split(':');
    if (by === 'type') return p.PrincipalType === value;
    if (by === 'group') return p.Groups.includes(value ?? '');
    return true;
  });
  const columns = (data?.Columns ?? [])
    .map((column, index) => ({ column, index }))
    .filter(({ column }) => buttons || column.Kind === 'page');
  const account = data?.Accounts[0];

  return (
    <SpaceBetween size="l">
      <Header
        variant="h1"
        description="Who can open each Billing console page and use its buttons: the account's console action set and IAM-access switch, then each principal's policies. Choose a cell to see why."
      >
        Access
      </Header>
      {matrix.error && <ErrorAlert error={matrix.error} />}
      <Table
        header={
          <Header
            variant="h2"
            counter={data === undefined ? undefined : `(${rows.length})`}
            description={
              account === undefined
                ? undefined
                : `Console action set: ${account.ConsoleActionSet}. IAM user and role access to Billing information: ${account.IamAccessToBilling ? 'on' : 'off'}.`
            }
            actions={
              <SpaceBetween direction="horizontal" size="m" alignItems="center">
                <Select
                  selectedOption={filter}
                  onChange={(e) => setFilter(e.detail.selectedOption)}
                  options={[ALL, ...options]}
                  ariaLabel="Filter principals"
                />
                <Toggle checked={buttons} onChange={(e) => setButtons(e.detail.checked)}>
                  Show buttons
                </Toggle>
              </SpaceBetween>
            }
          >
            Billing console access
          </Header>
        }
        loading={matrix.loading}
        loadingText="Evaluating every principal"
        items={rows}
        trackBy="Arn"
        resizableColumns
        stickyColumns={{ first: 1 }}
        ariaLabels={{ tableLabel: 'Billing console access' }}
        empty={<EmptyState title="No principals" subtitle="No principal matches the filter." />}
        columnDefinitions={[
          { id: 'principal', header: 'Principal', cell: (p) => `${p.Name}`, minWidth: 160 },
          { id: 'type', header: 'Type', cell: (p) => p.PrincipalType },
          ...columns.map(({ column, index }) => ({
            id: column.Id ?? '',
            header: column.Label ?? '',
            minWidth: 120,
            cell: (p: AccessMatrixRow) => {
              const decision = p.Decisions[index] ?? '';
              return (
                <Button
                  variant="inline-link"
                  ariaLabel={`${p.Name}, ${column.Label}: ${decision}`}
                  onClick={() => setSelected({ row: p, column })}
                >
                  <StatusIndicator type={DECISION[decision] ?? 'info'}>{decision}</StatusIndicator>
                </Button>
              );
            },
          })),
        ]}
      />
      {selected !== undefined && <CellExplanation row={selected.row} column={selected.column} />}
    </SpaceBetween>
  );
}
