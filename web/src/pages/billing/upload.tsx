import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import { ApiError } from '../../client/api';
import { importApi, type ImportResult } from '../../client/operations';
import { FileField } from '../../components/file-field';
import { formatMoney } from '../../components/format';
import { useNotify } from '../../components/notifications';
import { PageGate } from '../../components/permission-gate';
import { useSubmit } from '../../components/use-submit';
import { useIdentity } from '../../session';

/**
 * The server takes request bodies up to 10 MiB (create-server.ts); the file travels base64-encoded (4 bytes
 * for every 3) inside a small JSON envelope, so 7 MiB of file is what fits.
 */
const MAX_FILE_BYTES = 7 * 1024 * 1024;

const MIB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** The file as the server will get it: CSV gzipped here (a tenth of the size, typically), gzip and Parquet as they are. */
async function prepared(file: File): Promise<{ name: string; blob: Blob }> {
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  const parquet = String.fromCharCode(...head) === 'PAR1';
  if (gzip || parquet || typeof CompressionStream === 'undefined') return { name: file.name, blob: file };
  const compressed = await new Response(file.stream().pipeThrough(new CompressionStream('gzip'))).blob();
  return { name: `${file.name}.gz`, blob: compressed };
}

function base64Of(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsDataURL(blob);
  });
}

function tooLarge(size: number): ApiError {
  return new ApiError(
    413,
    'FileTooLarge',
    `The file is ${MIB(size)}${size === 0 ? '' : ' after compression'}; the console uploads files up to ${MIB(MAX_FILE_BYTES)}. Import larger exports with the bursar import command.`,
  );
}

function ImportReport({ result }: { result: ImportResult }) {
  return (
    <Container header={<Header variant="h2">Import report</Header>}>
      <SpaceBetween size="l">
        <KeyValuePairs
          columns={2}
          items={[
            { label: 'Import ID', value: result.ImportId },
            { label: 'Line items imported', value: <span data-testid="import-line-items">{result.LineItems}</span> },
          ]}
        />
        <Table
          variant="embedded"
          items={result.Periods}
          trackBy="BillingPeriod"
          ariaLabels={{ tableLabel: 'Billing periods imported' }}
          header={<Header variant="h3">Billing periods</Header>}
          columnDefinitions={[
            { id: 'period', header: 'Billing period', cell: (p) => p.BillingPeriod },
            { id: 'items', header: 'Line items', cell: (p) => p.LineItems },
            { id: 'cost', header: 'Unblended cost', cell: (p) => formatMoney(p.UnblendedCost) },
            {
              id: 'replaced',
              header: 'Earlier import',
              cell: (p) => (p.Replaced ? 'Replaced by this import' : 'None'),
            },
          ]}
        />
        <Box variant="code">
          <pre data-testid="import-report" style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
            {result.Report}
          </pre>
        </Box>
      </SpaceBetween>
    </Container>
  );
}

function Upload() {
  const identity = useIdentity();
  const notify = useNotify();
  const { busy, submit } = useSubmit();
  const [files, setFiles] = useState<File[]>([]);
  const [result, setResult] = useState<ImportResult | undefined>(undefined);
  const file = files[0];

  const upload = () =>
    submit(async () => {
      if (file === undefined) return;
      setResult(undefined);
      const { name, blob } = await prepared(file);
      if (blob.size > MAX_FILE_BYTES) throw tooLarge(blob.size);
      try {
        const imported = await importApi.importCostData(identity.accountId, name, await base64Of(blob));
        setResult(imported);
        notify.success(`${file.name}: ${imported.LineItems} line items imported.`);
      } catch (error) {
        // The server's own body limit, should the estimate above ever be short.
        if (error instanceof ApiError && error.status === 413) throw tooLarge(blob.size);
        throw error;
      }
    });

  return (
    <SpaceBetween size="l">
      <Form
        actions={
          <Button variant="primary" loading={busy} disabled={file === undefined} onClick={() => void upload()}>
            Import
          </Button>
        }
      >
        <Container
          header={
            <Header
              variant="h2"
              description={`Cost data in this account (${identity.accountId}) for the billing periods in the file is replaced by the file's, as bursar import does.`}
            >
              Cost export file
            </Header>
          }
        >
          <FileField
            description="A FOCUS or AWS Cost and Usage Report export: CSV, gzipped CSV (.csv.gz) or Parquet."
            accept=".csv,.gz,.parquet,text/csv,application/gzip"
            constraintText={`Up to ${MIB(MAX_FILE_BYTES)} (CSV is compressed in the browser before it is sent).`}
            files={files}
            onChange={(chosen) => {
              setFiles(chosen);
              setResult(undefined);
            }}
          />
        </Container>
      </Form>
      {result !== undefined && <ImportReport result={result} />}
    </SpaceBetween>
  );
}

export function UploadCostDataPage() {
  return (
    <SpaceBetween size="l">
      <Header variant="h1" description="Import cost and usage data exported from AWS or another FOCUS provider.">
        Upload cost data
      </Header>
      <PageGate page="upload-cost-data">
        <Upload />
      </PageGate>
    </SpaceBetween>
  );
}
