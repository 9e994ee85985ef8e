import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import { scenarioApi, type ScenarioExportFormat } from '../../client/operations';
import { useSubmit } from '../../components/use-submit';

const FORMATS: { value: string; label: string; description: string }[] = [
  { value: 'scenario-yaml', label: 'Scenario (YAML)', description: 'bursar scenario apply / test' },
  { value: 'scenario', label: 'Scenario (JSON)', description: 'bursar scenario apply / test' },
  { value: 'terraform', label: 'Terraform', description: 'aws_iam_*, aws_budgets_budget, with import blocks' },
  { value: 'cloudformation', label: 'CloudFormation', description: 'a JSON template' },
  { value: 'cli', label: 'AWS CLI script', description: 'a sh script of aws commands' },
];

function download(fileName: string, content: string) {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([content], { type: 'text/plain' }));
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(link.href);
}

/** The IAM dashboard's Export: the account's IAM and billing setup as a file, and Import scenario's way in. */
export function ScenarioExport() {
  const [format, setFormat] = useState(FORMATS[0]!);
  const { busy, submit } = useSubmit();
  const exportFile = () =>
    submit(async () => {
      const yaml = format.value === 'scenario-yaml';
      const file = await scenarioApi.export((yaml ? 'scenario' : format.value) as ScenarioExportFormat, yaml);
      download(file.FileName!, file.Content!);
    });
  return (
    <Container
      header={
        <Header
          variant="h2"
          description="This account's users, groups, roles, policies, budgets and Billing console settings as a file (docs/scenarios.md)."
          actions={<Button href="#/iam/import-scenario">Import scenario</Button>}
        >
          Scenario
        </Header>
      }
    >
      <SpaceBetween size="s">
        <FormField label="Export format">
          <Select
            selectedOption={format}
            onChange={(e) => setFormat(FORMATS.find((f) => f.value === e.detail.selectedOption.value)!)}
            options={FORMATS}
            ariaLabel="Export format"
          />
        </FormField>
        <Button iconName="download" loading={busy} onClick={() => void exportFile()}>
          Export
        </Button>
      </SpaceBetween>
    </Container>
  );
}
