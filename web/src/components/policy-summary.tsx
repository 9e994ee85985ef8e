import Table from '@cloudscape-design/components/table';
import Header from '@cloudscape-design/components/header';
import { editorApi, type ServiceAction } from '../client/operations';
import { EmptyState } from './states';
import { useAsync } from './use-async';

const LEVELS = ['List', 'Read', 'Write', 'Permissions management', 'Tagging'] as const;

interface Row {
  service: string;
  access: string;
  effect: string;
}

const matcher = (pattern: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );

/** A statement's Action as a list (or null when the statement has none). */
function actionsOf(statement: Record<string, unknown>): string[] | null {
  const a = statement.Action;
  if (typeof a === 'string') return [a];
  if (Array.isArray(a)) return a.filter((x): x is string => typeof x === 'string');
  return null;
}

/** "Full access", or "Full: List, Read  Limited: Write" per access level, as the IAM console's policy summary. */
export function describeAccess(granted: readonly string[], actions: readonly ServiceAction[]): string {
  const full: string[] = [];
  const limited: string[] = [];
  for (const level of LEVELS) {
    const inLevel = actions.filter((a) => a.AccessLevel === level);
    if (inLevel.length === 0) continue;
    const matched = inLevel.filter((a) => granted.some((g) => matcher(g).test(a.Action)));
    if (matched.length === inLevel.length) full.push(level);
    else if (matched.length > 0) limited.push(level);
  }
  if (limited.length === 0 && full.length === LEVELS.filter((l) => actions.some((a) => a.AccessLevel === l)).length) {
    return 'Full access';
  }
  return [full.length ? `Full: ${full.join(', ')}` : '', limited.length ? `Limited: ${limited.join(', ')}` : '']
    .filter(Boolean)
    .join('  ');
}

async function summarize(documentText: string): Promise<Row[]> {
  const doc = JSON.parse(documentText) as { Statement?: unknown };
  const statements = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]) as Record<string, unknown>[];
  const byService = new Map<string, { effect: string; actions: string[] }>();
  for (const s of statements) {
    const actions = actionsOf(s) ?? [];
    for (const action of actions) {
      const prefix = action === '*' ? '*' : action.split(':')[0]!.toLowerCase();
      const key = `${String(s.Effect)}|${prefix}`;
      const entry = byService.get(key) ?? { effect: String(s.Effect), actions: [] };
      entry.actions.push(action);
      byService.set(key, entry);
    }
  }
  const rows: Row[] = [];
  for (const [key, entry] of byService) {
    const prefix = key.split('|')[1]!;
    if (prefix === '*') {
      rows.push({ service: 'All services', access: 'Full access', effect: entry.effect });
      continue;
    }
    try {
      const described = await editorApi.listServiceActions(prefix);
      rows.push({
        service: described.Service.DisplayName,
        access: describeAccess(entry.actions, described.Actions),
        effect: entry.effect,
      });
    } catch {
      rows.push({ service: prefix, access: 'Unrecognized service', effect: entry.effect });
    }
  }
  return rows.sort((a, b) => a.service.localeCompare(b.service));
}

export function PolicySummary({ document }: { document: string }) {
  const rows = useAsync(() => summarize(document), [document]);
  return (
    <Table
      header={<Header variant="h2">Permissions defined in this policy</Header>}
      items={rows.data ?? []}
      loading={rows.loading}
      loadingText="Summarizing"
      empty={<EmptyState title="No permissions" subtitle={rows.error?.message ?? 'This policy grants nothing.'} />}
      columnDefinitions={[
        { id: 'service', header: 'Service', cell: (r) => r.service },
        { id: 'effect', header: 'Effect', cell: (r) => r.effect },
        { id: 'access', header: 'Access level', cell: (r) => r.access },
      ]}
    />
  );
}
