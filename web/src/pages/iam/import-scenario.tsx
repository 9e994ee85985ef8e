import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import { scenarioApi, type ScenarioResult } from '../../client/operations';
import { FileField } from '../../components/file-field';
import { useSubmit } from '../../components/use-submit';

/** A list of changes (`+ user X`, `~ group Y: …`) as a table the keyboard and screen readers can read. */
function Changes({ title, changes, empty }: { title: string; changes: string[]; empty: string }) {
  return (
    <Table
      header={<Header counter={`(${changes.length})`}>{title}</Header>}
      items={changes.map((change, i) => ({ change, i }))}
      trackBy="i"
      columnDefinitions={[{ id: 'change', header: 'Change', cell: (c) => <code>{c.change}</code> }]}
      empty={<Box textAlign="center">{empty}</Box>}
      variant="container"
    />
  );
}

/**
 * Import scenario: upload a scenario (YAML or JSON), preview what applying it changes, apply it. The server
 * makes each change as the signed-in user, so a change their policies do not allow is refused and the apply
 * stops there, saying which changes were made.
 */
export function ImportScenarioPage() {
  const [files, setFiles] = useState<File[]>([]);
  const [prune, setPrune] = useState(false);
  const [plan, setPlan] = useState<ScenarioResult | undefined>();
  const [result, setResult] = useState<ScenarioResult | undefined>();
  const { busy, submit } = useSubmit();
  const file = files[0];

  const preview = () =>
    submit(async () => {
      setResult(undefined);
      setPlan(await scenarioApi.plan(await file!.text(), file!.name, prune));
    });
  const apply = () =>
    submit(async () => {
      setResult(await scenarioApi.apply(await file!.text(), file!.name, prune));
      setPlan(undefined);
    });
  const reset = () => {
    setPlan(undefined);
    setResult(undefined);
  };

  const errors = plan?.Errors ?? [];
  return (
    <SpaceBetween size="l">
      <Header
        variant="h1"
        description="Make this account match a scenario file, as bursar scenario apply does: each change is made as you, with your permissions."
      >
        Import scenario
      </Header>
      <Form
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button href="#/iam" variant="link">
              Cancel
            </Button>
            <Button loading={busy && plan === undefined} disabled={file === undefined} onClick={() => void preview()}>
              Preview changes
            </Button>
            <Button
              variant="primary"
              loading={busy && plan !== undefined}
              disabled={plan === undefined || errors.length > 0 || (plan.Changes ?? []).length === 0}
              onClick={() => void apply()}
            >
              Apply
            </Button>
          </SpaceBetween>
        }
      >
        <Container header={<Header variant="h2">Scenario file</Header>}>
          <SpaceBetween size="m">
            <FileField
              description="A scenario in YAML or JSON (schemas/scenario.schema.json). Policy documents must be inline: the console reads no other files."
              accept=".yaml,.yml,.json,application/json,application/yaml,text/yaml"
              files={files}
              onChange={(chosen) => {
                setFiles(chosen);
                reset();
              }}
            />
            <Checkbox
              checked={prune}
              onChange={(e) => {
                setPrune(e.detail.checked);
                reset();
              }}
              description="Delete the users, groups, roles, policies and budgets the file does not name."
            >
              Prune
            </Checkbox>
          </SpaceBetween>
        </Container>
      </Form>
      {errors.length > 0 && (
        <Table
          header={
            <Header counter={`(${errors.length})`} description="Nothing is changed while the file has errors.">
              Errors in {file?.name}
            </Header>
          }
          items={errors.map((e, i) => ({ ...e, i }))}
          trackBy="i"
          columnDefinitions={[
            { id: 'line', header: 'Line', cell: (e) => e.Line },
            { id: 'column', header: 'Column', cell: (e) => e.Column },
            { id: 'message', header: 'Error', cell: (e) => e.Message },
            { id: 'path', header: 'Path', cell: (e) => e.Path || '-' },
          ]}
          variant="container"
        />
      )}
      {plan !== undefined && errors.length === 0 && (
        <Changes
          title="Changes to apply"
          changes={plan.Changes ?? []}
          empty="No changes: the account already matches the scenario."
        />
      )}
      {(plan ?? result)?.Notes?.map((note) => (
        <Alert key={note} type="info">
          {note}
        </Alert>
      ))}
      {result !== undefined && (
        <SpaceBetween size="m">
          {result.Failure === undefined ? (
            <Alert type="success" header="Scenario applied">
              {`${(result.Applied ?? []).length} change(s) made.`}
            </Alert>
          ) : (
            <Alert type="error" header="The apply stopped at a refused change">
              {result.Failure}
            </Alert>
          )}
          <Changes title="Changes made" changes={result.Applied ?? []} empty="No change was made." />
          {(result.Passwords ?? []).length > 0 && (
            <Table
              header={<Header description="Shown once: pass them on now.">Generated console passwords</Header>}
              items={result.Passwords ?? []}
              trackBy="UserName"
              columnDefinitions={[
                { id: 'user', header: 'User', cell: (p) => p.UserName },
                { id: 'password', header: 'Password', cell: (p) => <code>{p.Password}</code> },
              ]}
              variant="container"
            />
          )}
        </SpaceBetween>
      )}
    </SpaceBetween>
  );
}
