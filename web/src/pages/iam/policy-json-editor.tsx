import SpaceBetween from '@cloudscape-design/components/space-between';
import Textarea from '@cloudscape-design/components/textarea';
import { useEffect, useState } from 'react';
import { editorApi, type Finding } from '../../client/operations';
import { useNotify } from '../../components/notifications';
import { Findings } from './policy-create';

/** AWS's starting point for a custom trust policy: one statement, the principal left to fill in. */
export const CUSTOM_TRUST_TEMPLATE = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [{ Sid: 'Statement1', Effect: 'Allow', Principal: {}, Action: 'sts:AssumeRole' }],
  },
  null,
  2,
);

/**
 * A policy document's JSON with the server's validator run on it as it is typed, by the rules of its `kind`
 * (`trust`: a Principal is required, sts actions only). `onValid` says whether it may be saved: parsed,
 * checked, and no ERROR finding.
 */
export function PolicyJsonEditor({
  value,
  onChange,
  onValid,
  kind,
  ariaLabel,
}: {
  value: string;
  onChange: (value: string) => void;
  onValid: (valid: boolean) => void;
  kind: 'managed' | 'trust';
  ariaLabel: string;
}) {
  const notify = useNotify();
  const [findings, setFindings] = useState<Finding[] | undefined>(undefined);
  useEffect(() => {
    setFindings(undefined);
    onValid(false);
    const timer = setTimeout(() => {
      editorApi.validate(value, kind).then(
        (found) => {
          setFindings(found);
          onValid(!found.some((f) => f.FindingType === 'ERROR'));
        },
        (e: unknown) => notify.error(e),
      );
    }, 300);
    return () => clearTimeout(timer);
  }, [value, kind, notify, onValid]);
  return (
    <SpaceBetween size="s">
      <Textarea
        value={value}
        onChange={(e) => onChange(e.detail.value)}
        rows={16}
        spellcheck={false}
        ariaLabel={ariaLabel}
      />
      <Findings findings={findings} />
    </SpaceBetween>
  );
}
