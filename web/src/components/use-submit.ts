import { useCallback, useState } from 'react';
import { useNotify } from './notifications';

/**
 * Runs one user action (a save, a create, a delete) and reports a refusal the way every page does: the action
 * is always offered, the server decides, and an error becomes the page's flash message ("Access Denied" naming
 * the missing permission). `busy` is true while the action runs, for the button's loading state.
 */
export function useSubmit(): { busy: boolean; submit: (action: () => Promise<void>) => Promise<boolean> } {
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  const submit = useCallback(
    async (action: () => Promise<void>): Promise<boolean> => {
      setBusy(true);
      try {
        await action();
        return true;
      } catch (error) {
        notify.error(error);
        return false;
      } finally {
        setBusy(false);
      }
    },
    [notify],
  );
  return { busy, submit };
}
