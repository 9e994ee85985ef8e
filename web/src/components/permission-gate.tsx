import Alert from '@cloudscape-design/components/alert';
import type { ReactNode } from 'react';
import { billingApi, type GateDenial } from '../client/operations';
import { ErrorAlert, Loading } from './states';
import { useAsync } from './use-async';

/**
 * AWS's page-level blocker: "You Need Permissions" and why. When only another service's permission is missing
 * (a Billing user without `budgets:ViewBudget` on Budgets), "no permission to access billing information"
 * would mislead someone who has it: the blocker names the missing permission instead.
 */
export function YouNeedPermissions({ denial }: { denial: GateDenial }) {
  const missing = denial.MissingActions;
  const billingAccessMissing =
    denial.Reason === 'IAM_ACCESS_OFF' || missing.length === 0 || missing.some((a) => a.startsWith('aws-portal:'));
  return (
    <Alert type="error" header={denial.Title} data-testid="you-need-permissions">
      {billingAccessMissing
        ? denial.Message
        : `You don't have the ${missing.join(' and ')} permission${missing.length === 1 ? '' : 's'} this page needs. Contact your AWS administrator if you need help.`}
      {missing.length > 0 && (
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
