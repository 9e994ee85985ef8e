import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import type { ReactNode } from 'react';
import type { ApiError } from '../client/api';
import { errorHeader } from './notifications';

export function Loading({ label = 'Loading' }: { label?: string }) {
  return (
    <div role="status">
      <Box textAlign="center" padding="l">
        <Spinner size="large" /> <Box variant="span">{label}…</Box>
      </Box>
    </div>
  );
}

export function EmptyState({ title, subtitle, action }: { title: string; subtitle?: string; action?: ReactNode }) {
  return (
    <Box textAlign="center" color="inherit" padding="m">
      <SpaceBetween size="xs">
        <b>{title}</b>
        {subtitle !== undefined && (
          <Box variant="p" color="inherit">
            {subtitle}
          </Box>
        )}
        {action}
      </SpaceBetween>
    </Box>
  );
}

/** A refused or failed load, shown in place of the content it stopped. */
export function ErrorAlert({ error }: { error: ApiError }) {
  return (
    <Alert type="error" header={errorHeader(error)}>
      {error.message}
    </Alert>
  );
}
