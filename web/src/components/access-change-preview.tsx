import Alert from '@cloudscape-design/components/alert';
import { accessApi, type AccessChange, type PrincipalAccessChange } from '../client/operations';
import { useAsync } from './use-async';

/** The billing actions an IAM change's preview covers. */
const PREVIEWED_ACTIONS = ['aws-portal:*'];

/** What a principal's change reads as: action columns by their id, console pages and buttons by their label. */
const columnsOf = (deltas: PrincipalAccessChange['Gained'], pages: boolean) =>
  deltas.map((d) => (pages ? (d.Label ?? d.Column) : d.Column)).join(', ');

/**
 * "What changes": the billing access the changes (applied in order) would add and remove, per principal, from
 * PreviewAccessChange (a dry run over the account's policies), shown before anything is saved. IAM changes are
 * previewed over the billing actions; the console settings (the IAM-access switch, the action set) change no
 * action's decision, only who may open the Billing console's pages, so they are previewed over its pages and
 * buttons (`pages`).
 */
export function AccessChangePreview({ changes, pages = false }: { changes: AccessChange[]; pages?: boolean }) {
  const key = JSON.stringify(changes);
  const preview = useAsync(
    async () =>
      changes.length === 0
        ? null
        : accessApi.preview(changes, pages ? { Pages: 'billing' } : { Actions: PREVIEWED_ACTIONS }),
    [key, pages],
  );
  if (changes.length === 0) return null;
  if (preview.error) {
    return (
      <Alert type="warning" header="What changes">
        The access this change gives cannot be previewed: {preview.error.message}
      </Alert>
    );
  }
  const deltas = preview.data ?? [];
  return (
    <Alert type="info" header="What changes">
      {preview.loading ? (
        'Evaluating the change…'
      ) : deltas.length === 0 ? (
        pages ? (
          "No principal's access to the Billing console changes."
        ) : (
          `No principal's access to ${PREVIEWED_ACTIONS.join(', ')} changes.`
        )
      ) : (
        <ul aria-label="Access changes">
          {deltas.flatMap((c) => [
            ...(c.Gained.length === 0
              ? []
              : [<li key={`${c.Arn}+`}>{`${c.Name} will be able to: ${columnsOf(c.Gained, pages)}`}</li>]),
            ...(c.Lost.length === 0
              ? []
              : [<li key={`${c.Arn}-`}>{`${c.Name} will no longer be able to: ${columnsOf(c.Lost, pages)}`}</li>]),
          ])}
        </ul>
      )}
    </Alert>
  );
}
