/** One Action (or NotAction) value of a statement: its syntax, and its service and name against the catalog. */
import type { CatalogView } from './validate.js';
import type { FindingSink } from './validate-sink.js';
import { type Path } from './validate-sink.js';
import { closestMatch, hasWildcard, wildcardMatcher } from './validate-text.js';

const VENDOR = /^[a-zA-Z0-9.*?-]+$/;

export function checkAction(sink: FindingSink, action: string, path: Path, catalog: CatalogView | undefined): void {
  if (action === '*') return;
  if (action.includes('${')) {
    sink.report(
      'ERROR',
      'VARIABLE_UNSUPPORTED_IN_ELEMENT',
      `Policy variables are supported in the Resource and Condition elements. Remove the policy variable from the action ${action}.`,
      path,
    );
    return;
  }
  const parts = action.split(':');
  if (parts.length === 1) {
    sink.report(
      'ERROR',
      'MISSING_SERVICE_PREFIX',
      `The action ${action} has no service prefix. Write actions as service:ActionName, for example iam:GetUser.`,
      path,
    );
    return;
  }
  if (parts.length > 2) {
    sink.report(
      'ERROR',
      'INVALID_ACTION_FORMAT',
      `The action ${action} contains more than one colon. Write actions as service:ActionName.`,
      path,
    );
    return;
  }
  const [service = '', name = ''] = parts;
  if (!VENDOR.test(service)) {
    sink.report(
      'ERROR',
      'INVALID_SERVICE_PREFIX_FORMAT',
      `The service prefix ${service} in the action ${action} is not valid: a prefix contains only letters, digits, '.' and '-'.`,
      path,
    );
    return;
  }
  if (name === '') {
    sink.report('ERROR', 'INVALID_ACTION', `The action ${action} does not name an action after the colon.`, path);
    return;
  }
  if (catalog === undefined) return;
  if (hasWildcard(service)) {
    if (!catalog.servicePrefixes().some(wildcardMatcher(service))) {
      sink.report(
        'ERROR',
        'INVALID_SERVICE_IN_ACTION',
        `The service ${service} specified in the action does not match any service.`,
        path,
      );
    } else if (catalog.expandAction(action).length === 0) {
      sink.report('ERROR', 'INVALID_ACTION', `The action ${action} does not match any action.`, path);
    }
    return;
  }
  if (!catalog.hasService(service)) {
    const suggestion = closestMatch(service, catalog.servicePrefixes());
    const hint = suggestion === undefined ? '' : ` Did you mean ${suggestion}?`;
    sink.report(
      'ERROR',
      'INVALID_SERVICE_IN_ACTION',
      `The service ${service} specified in the action does not exist.${hint}`,
      path,
    );
    return;
  }
  if (hasWildcard(name)) {
    if (catalog.expandAction(action).length === 0)
      sink.report(
        'ERROR',
        'INVALID_ACTION',
        `The action ${action} does not match any action of the service ${service}.`,
        path,
      );
    return;
  }
  if (catalog.findAction(action) === undefined) {
    const suggestion = closestMatch(name, catalog.serviceActionNames(service));
    const hint = suggestion === undefined ? '' : ` Did you mean ${service.toLowerCase()}:${suggestion}?`;
    sink.report('ERROR', 'INVALID_ACTION', `The action ${action} does not exist.${hint}`, path);
  }
}
