import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import ExpandableSection from '@cloudscape-design/components/expandable-section';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Tabs from '@cloudscape-design/components/tabs';
import Textarea from '@cloudscape-design/components/textarea';
import { useEffect, useMemo, useState } from 'react';
import { editorApi, iamApi, type Finding, type ServiceAction, type ServiceSummary } from '../../client/operations';
import { useNotify } from '../../components/notifications';
import { JsonCodeEditor } from '../../components/json-code-editor';
import { PolicyFindings } from '../../components/policy-json-editor';
import { PolicySummary } from '../../components/policy-summary';
import { ErrorAlert, Loading } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';
import { navigate } from '../../router';

const LEVELS = ['List', 'Read', 'Write', 'Permissions management', 'Tagging'] as const;
type Step = 'permissions' | 'tags' | 'review';

interface VisualState {
  service: ServiceSummary | null;
  all: boolean;
  actions: string[];
}

/** The document the visual editor's choices stand for (the console names its statement VisualEditor0). */
function documentOf(state: VisualState): string {
  const statement: Record<string, unknown> = { Sid: 'VisualEditor0', Effect: 'Allow' };
  if (state.service !== null && (state.all || state.actions.length > 0)) {
    statement.Action = state.all
      ? `${state.service.Prefix}:*`
      : state.actions.length === 1
        ? state.actions[0]
        : state.actions;
    statement.Resource = '*';
  }
  return JSON.stringify({ Version: '2012-10-17', Statement: [statement] }, null, 4);
}

function ServiceChooser({ onChoose }: { onChoose: (service: ServiceSummary) => void }) {
  const [text, setText] = useState('');
  const services = useAsync(() => editorApi.searchServices(text), [text]);
  return (
    <SpaceBetween size="s">
      <Input
        value={text}
        onChange={(e) => setText(e.detail.value)}
        type="search"
        placeholder="Find a service"
        ariaLabel="Find a service"
        autoFocus
      />
      {services.loading && <StatusIndicator type="loading">Loading services</StatusIndicator>}
      {services.error && <ErrorAlert error={services.error} />}
      <div role="list" aria-label="Services" style={{ maxHeight: 280, overflowY: 'auto' }}>
        <ColumnLayout columns={3}>
          {(services.data ?? []).slice(0, 90).map((s) => (
            <div role="listitem" key={s.Prefix}>
              <Link onFollow={() => onChoose(s)} ariaLabel={s.DisplayName}>
                {s.DisplayName}
              </Link>
            </div>
          ))}
        </ColumnLayout>
      </div>
    </SpaceBetween>
  );
}

function ActionPicker({ state, onChange }: { state: VisualState; onChange: (s: VisualState) => void }) {
  const prefix = state.service!.Prefix;
  const described = useAsync(() => editorApi.listServiceActions(prefix), [prefix]);
  if (described.loading) return <Loading label="Loading actions" />;
  if (described.error) return <ErrorAlert error={described.error} />;
  const actions = described.data!.Actions;
  const chosen = new Set(state.actions);
  const toggle = (names: string[], on: boolean) => {
    const next = new Set(chosen);
    for (const n of names) {
      if (on) next.add(n);
      else next.delete(n);
    }
    onChange({ ...state, all: false, actions: actions.map((a) => a.Action).filter((a) => next.has(a)) });
  };
  return (
    <SpaceBetween size="m">
      <FormField label="Manual actions">
        <Checkbox checked={state.all} onChange={(e) => onChange({ ...state, all: e.detail.checked, actions: [] })}>
          All {state.service!.DisplayName} actions ({prefix}:*)
        </Checkbox>
      </FormField>
      <ExpandableSection headerText="Select actions" defaultExpanded variant="footer">
        <FormField label="Access level" stretch>
          <SpaceBetween size="xs">
            {LEVELS.map((level) => {
              const inLevel: ServiceAction[] = actions.filter((a) => a.AccessLevel === level);
              if (inLevel.length === 0) return null;
              const names = inLevel.map((a) => a.Action);
              const count = names.filter((n) => chosen.has(n)).length;
              return (
                <div key={level}>
                  <Checkbox
                    checked={state.all || count === names.length}
                    indeterminate={!state.all && count > 0 && count < names.length}
                    disabled={state.all}
                    onChange={(e) => toggle(names, e.detail.checked)}
                  >
                    {level} ({names.length})
                  </Checkbox>
                  {/* AWS's list: action names in as many columns as fit, each whole on one line. */}
                  <div
                    role="group"
                    aria-label={`${level} actions`}
                    style={{
                      paddingLeft: 24,
                      display: 'grid',
                      gridTemplateColumns: 'repeat(auto-fill, minmax(240px, 1fr))',
                      gap: '4px 16px',
                    }}
                  >
                    {inLevel.map((a) => (
                      <div key={a.Action} title={a.Description} style={{ whiteSpace: 'nowrap' }}>
                        <Checkbox
                          checked={state.all || chosen.has(a.Action)}
                          disabled={state.all}
                          onChange={(e) => toggle([a.Action], e.detail.checked)}
                        >
                          {a.Name}
                        </Checkbox>
                      </div>
                    ))}
                  </div>
                </div>
              );
            })}
          </SpaceBetween>
        </FormField>
      </ExpandableSection>
    </SpaceBetween>
  );
}

/** Parses a document back into the visual editor's terms when it is one allow statement on one service. */
function visualOf(json: string, services: Map<string, ServiceSummary>): VisualState | null {
  try {
    const doc = JSON.parse(json) as { Statement?: Record<string, unknown>[] };
    const s = doc.Statement?.[0];
    if (doc.Statement?.length !== 1 || s === undefined || s.Effect !== 'Allow') return null;
    const actions = typeof s.Action === 'string' ? [s.Action] : Array.isArray(s.Action) ? (s.Action as string[]) : [];
    const prefix = actions[0]?.split(':')[0];
    if (prefix === undefined || !actions.every((a) => a.split(':')[0] === prefix)) return null;
    const service = services.get(prefix.toLowerCase()) ?? { Prefix: prefix, Name: prefix, DisplayName: prefix };
    const all = actions.length === 1 && actions[0] === `${prefix}:*`;
    return { service, all, actions: all ? [] : actions };
  } catch {
    return null;
  }
}

export function PolicyCreatePage() {
  const notify = useNotify();
  const [step, setStep] = useState<Step>('permissions');
  const [tab, setTab] = useState('visual');
  const [visual, setVisual] = useState<VisualState>({ service: null, all: false, actions: [] });
  const [choosing, setChoosing] = useState(true);
  const [json, setJson] = useState(() => documentOf({ service: null, all: false, actions: [] }));
  const [findings, setFindings] = useState<Finding[] | undefined>(undefined);
  // Nothing is checked until the user has chosen or typed something: an untouched form shows no errors.
  const [edited, setEdited] = useState(false);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [tagKey, setTagKey] = useState('');
  const [tagValue, setTagValue] = useState('');
  const { busy, submit } = useSubmit();
  const known = useMemo(() => new Map<string, ServiceSummary>(), []);

  const changeVisual = (next: VisualState) => {
    setVisual(next);
    setJson(documentOf(next));
    setEdited(true);
  };
  const changeJson = (next: string) => {
    setJson(next);
    setEdited(true);
  };

  // The validator's findings follow the document as it is typed.
  useEffect(() => {
    setFindings(undefined);
    const timer = setTimeout(() => {
      editorApi.validate(json).then(setFindings, (e: unknown) => notify.error(e));
    }, 300);
    return () => clearTimeout(timer);
  }, [json, notify]);

  const errors = edited ? (findings ?? []).filter((f) => f.FindingType === 'ERROR').length : 0;
  const empty = visual.service === null && tab === 'visual';

  const create = () =>
    submit(async () => {
      const tags = tagKey === '' ? [] : [{ Key: tagKey, Value: tagValue }];
      await iamApi.createPolicy(name, JSON.stringify(JSON.parse(json)), description || undefined, tags);
      notify.success(`${name} has been created.`, undefined, true);
      navigate('/iam/policies');
    });

  if (step === 'tags') {
    return (
      <SpaceBetween size="l">
        <Header variant="h1">Add tags (Optional)</Header>
        <Container>
          <ColumnLayout columns={2}>
            <FormField label="Key">
              <Input value={tagKey} onChange={(e) => setTagKey(e.detail.value)} ariaLabel="Tag key" />
            </FormField>
            <FormField label="Value - optional">
              <Input value={tagValue} onChange={(e) => setTagValue(e.detail.value)} ariaLabel="Tag value" />
            </FormField>
          </ColumnLayout>
        </Container>
        <SpaceBetween direction="horizontal" size="xs">
          <Button onClick={() => setStep('permissions')}>Previous</Button>
          <Button variant="primary" onClick={() => setStep('review')}>
            Next: Review
          </Button>
        </SpaceBetween>
      </SpaceBetween>
    );
  }

  if (step === 'review') {
    return (
      <SpaceBetween size="l">
        <Header variant="h1">Review policy</Header>
        <Container header={<Header variant="h2">Policy details</Header>}>
          <SpaceBetween size="l">
            <FormField label="Name" constraintText="Maximum 128 characters. Use alphanumeric and '+=,.@-_' characters.">
              <Input value={name} onChange={(e) => setName(e.detail.value)} ariaLabel="Name" />
            </FormField>
            <FormField label="Description - optional">
              <Textarea value={description} onChange={(e) => setDescription(e.detail.value)} ariaLabel="Description" />
            </FormField>
          </SpaceBetween>
        </Container>
        <PolicySummary document={json} />
        <SpaceBetween direction="horizontal" size="xs">
          <Button variant="link" onClick={() => navigate('/iam/policies')}>
            Cancel
          </Button>
          <Button onClick={() => setStep('tags')}>Previous</Button>
          <Button variant="primary" loading={busy} disabled={name === ''} onClick={() => void create()}>
            Create policy
          </Button>
        </SpaceBetween>
      </SpaceBetween>
    );
  }

  return (
    <SpaceBetween size="l">
      <Header
        variant="h1"
        description="A policy defines the AWS permissions that you can assign to a user, group, or role. You can create and edit a policy in the visual editor and using JSON."
      >
        Create policy
      </Header>
      <Tabs
        activeTabId={tab}
        onChange={(e) => {
          if (e.detail.activeTabId === 'visual') {
            const parsed = visualOf(json, known);
            if (parsed !== null) {
              setVisual(parsed);
              setChoosing(false);
            }
          }
          setTab(e.detail.activeTabId);
        }}
        tabs={[
          {
            id: 'visual',
            label: 'Visual editor',
            content: (
              <Container
                header={
                  <Header variant="h2">
                    {visual.service === null ? 'Select a service' : visual.service.DisplayName}
                  </Header>
                }
              >
                <SpaceBetween size="l">
                  <FormField label="Service">
                    {visual.service !== null && !choosing ? (
                      <SpaceBetween direction="horizontal" size="xs">
                        <Box variant="strong">{visual.service.DisplayName}</Box>
                        <Link onFollow={() => setChoosing(true)}>Change service</Link>
                      </SpaceBetween>
                    ) : choosing && tab === 'visual' ? (
                      <ExpandableSection headerText="Choose a service" defaultExpanded>
                        <ServiceChooser
                          onChoose={(service) => {
                            known.set(service.Prefix.toLowerCase(), service);
                            setChoosing(false);
                            changeVisual({ service, all: false, actions: [] });
                          }}
                        />
                      </ExpandableSection>
                    ) : null}
                  </FormField>
                  {visual.service !== null && !choosing && (
                    <>
                      <FormField
                        label="Actions"
                        stretch
                        description={`Specify the actions allowed in ${visual.service.DisplayName}`}
                      >
                        <ActionPicker state={visual} onChange={changeVisual} />
                      </FormField>
                      <FormField label="Resources">
                        <Box>All resources (*). {visual.service.DisplayName} actions apply to all resources.</Box>
                      </FormField>
                      <FormField label="Request conditions">
                        <Box color="text-body-secondary">None (optional).</Box>
                      </FormField>
                    </>
                  )}
                </SpaceBetween>
              </Container>
            ),
          },
          {
            id: 'json',
            label: `JSON${errors > 0 ? ` (${errors} error${errors === 1 ? '' : 's'})` : ''}`,
            content: (
              <Container header={<Header variant="h2">Policy editor</Header>}>
                <SpaceBetween size="m">
                  {tab === 'json' && (
                    <JsonCodeEditor value={json} onChange={changeJson} ariaLabel="Policy document JSON" />
                  )}
                  {edited && <PolicyFindings findings={findings} />}
                </SpaceBetween>
              </Container>
            ),
          },
        ]}
      />
      {tab === 'visual' && edited && <PolicyFindings findings={findings} />}
      {errors > 0 && <Alert type="error">Fix the errors in the policy before you continue.</Alert>}
      <SpaceBetween direction="horizontal" size="xs">
        <Button variant="link" onClick={() => navigate('/iam/policies')}>
          Cancel
        </Button>
        <Button
          variant="primary"
          disabled={empty || errors > 0 || findings === undefined}
          onClick={() => setStep('tags')}
        >
          Next: Tags
        </Button>
      </SpaceBetween>
    </SpaceBetween>
  );
}
