import Box from '@cloudscape-design/components/box';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useEffect, useState } from 'react';
import { editorApi, type Finding } from '../client/operations';
import { JsonCodeEditor } from './json-code-editor';
import { useNotify } from './notifications';

/** The validator's findings as a list; `undefined` while the document is being checked. */
export function PolicyFindings({ findings }: { findings: Finding[] | undefined }) {
  if (findings === undefined) return <StatusIndicator type="loading">Checking the policy</StatusIndicator>;
  if (findings.length === 0) return <StatusIndicator type="success">No findings: the policy is valid.</StatusIndicator>;
  const type = (f: Finding) =>
    f.FindingType === 'ERROR' ? 'error' : f.FindingType === 'SUGGESTION' ? 'info' : 'warning';
  return (
    <div role="list" aria-label="Policy validation findings">
      <SpaceBetween size="xxs">
        {findings.map((f, i) => (
          <div role="listitem" key={i}>
            <StatusIndicator type={type(f)}>
              <b>{f.FindingType.replace('_', ' ')}</b> {f.FindingDetails}{' '}
              <Box variant="small" display="inline">
                ({f.IssueCode} at {f.Path.join('.') || 'document'})
              </Box>
            </StatusIndicator>
          </div>
        ))}
      </SpaceBetween>
    </div>
  );
}

/** Whether a document with these findings may be saved: checked, and no ERROR among them. */
export const canSave = (findings: Finding[] | undefined) =>
  findings !== undefined && !findings.some((f) => f.FindingType === 'ERROR');

/**
 * A policy document's JSON editor (the code editor Create policy uses) with the server's validator (ValidatePolicyDocument) checking it as it is
 * typed, for the kind of policy it is (`managed`, `scp`…). Reports the findings so the page can block on errors.
 */
export function PolicyJsonEditor({
  value,
  onChange,
  kind,
  onFindings,
  ariaLabel = 'Policy document JSON',
}: {
  value: string;
  onChange: (value: string) => void;
  /** The validator's policy kind: `managed`, `trust` (a Principal is required, sts actions only), `scp`… */
  kind: string;
  onFindings?: (findings: Finding[] | undefined) => void;
  ariaLabel?: string;
}) {
  const notify = useNotify();
  const [findings, setFindings] = useState<Finding[] | undefined>(undefined);
  useEffect(() => {
    setFindings(undefined);
    onFindings?.(undefined);
    const timer = setTimeout(() => {
      editorApi.validate(value, kind).then((found) => {
        setFindings(found);
        onFindings?.(found);
      }, notify.error);
    }, 300);
    return () => clearTimeout(timer);
    // onFindings is left out on purpose: the check follows the document and its kind, not the page's renders.
  }, [value, kind, notify]);
  return (
    <SpaceBetween size="m">
      <JsonCodeEditor value={value} onChange={onChange} ariaLabel={ariaLabel} />
      <PolicyFindings findings={findings} />
    </SpaceBetween>
  );
}
