import Alert from '@cloudscape-design/components/alert';
import type { ReactNode } from 'react';
import { billingApi, type GateDenial } from '../client/operations';
import { ErrorAlert, Loading } from './states';
import { useAsync } from './use-async';

/** AWS's page-level blocker: "You Need Permissions" and why. */
export function YouNeedPermissions({ denial }: { denial: GateDenial }) {
  return (
    <Alert type="error" header={denial.Title} data-testid="you-need-permissions">
      {denial.Message}
      {denial.MissingActions.length > 0 && (
        <div>
          Missing: <code>{denial.MissingActions.join(', ')}</code>
        </div>
      )}
    </Alert>
  );
}

/** Asks the server whether this Billing console page may be opened; draws it or the blocker. */
export function PageGate({ page, children }: { page: string; children: ReactNode }) {
  const gate = useAsync(() => billingApi.checkAccess(page), [page]);
  if (gate.loading) return <Loading />;
  if (gate.error !== undefined) return <ErrorAlert error={gate.error} />;
  if (gate.data?.Denial !== undefined) return <YouNeedPermissions denial={gate.data.Denial} />;
  return <>{children}</>;
}
