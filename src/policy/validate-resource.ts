/** One Resource (or NotResource) value of a statement: ARN syntax, and the service's resource types in the catalog. */
import type { CatalogView } from './validate.js';
import type { FindingSink } from './validate-sink.js';
import { checkVariables, type Path } from './validate-sink.js';
import { hasWildcard } from './validate-text.js';

export const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc'];

const ACCOUNT = /^(\d{12}|aws)$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export function checkResource(
  sink: FindingSink,
  resource: string,
  path: Path,
  catalog: CatalogView | undefined,
  variablesEnabled: boolean,
): void {
  if (resource === '*') return;
  if (!checkVariables(sink, resource, path, variablesEnabled)) return;
  if (!resource.startsWith('arn:')) {
    sink.report(
      'ERROR',
      'INVALID_ARN_PREFIX',
      `The resource ${resource} must be "*" or an ARN: add the required prefix (arn) to the resource ARN.`,
      path,
    );
    return;
  }
  const fields = resource.split(':');
  if (fields.length < 6) {
    sink.report(
      'ERROR',
      'MISSING_ARN_FIELD',
      `The resource ${resource} is missing ARN fields: an ARN has the form arn:partition:service:region:account-id:resource.`,
      path,
    );
    return;
  }
  const [, partition = '', service = '', region = '', account = ''] = fields;
  const resourcePart = fields.slice(5).join(':');
  const flexible = (text: string): boolean => hasWildcard(text) || text.includes('${');
  if (!flexible(partition) && !PARTITIONS.includes(partition)) {
    sink.report(
      'ERROR',
      'INVALID_PARTITION',
      `The resource ARN for the resource ${resource} includes an invalid partition: ${partition}. Use one of the following: ${PARTITIONS.join(', ')}.`,
      path,
    );
  }
  if (service === '') {
    sink.report('ERROR', 'MISSING_ARN_FIELD', `The resource ${resource} has no service in its ARN.`, path);
  } else if (service !== service.toLowerCase()) {
    sink.report(
      'ERROR',
      'INVALID_ARN_SERVICE_CASE',
      `Update the service name ${service} in the resource ARN to use all lowercase letters.`,
      path,
    );
  }
  if (region !== '' && !flexible(region) && !REGION.test(region)) {
    sink.report(
      'ERROR',
      'INVALID_ARN_REGION',
      `The Region ${region} in the resource ARN ${resource} is not valid.`,
      path,
    );
  }
  if (account !== '' && !flexible(account) && !ACCOUNT.test(account)) {
    sink.report(
      'ERROR',
      'INVALID_ARN_ACCOUNT',
      `The resource ARN account ID ${account} is not valid. Provide a 12-digit account ID.`,
      path,
    );
  }
  if (resourcePart === '') {
    sink.report(
      'ERROR',
      'MISSING_ARN_FIELD',
      `The resource ${resource} has no resource part after the account field.`,
      path,
    );
  }
  const formats = catalog?.resourceArnFormats(service);
  if (
    formats !== undefined &&
    formats.length > 0 &&
    region !== '' &&
    !flexible(region) &&
    formats.every((f) => !f.includes('${Region}'))
  ) {
    sink.report(
      'ERROR',
      'ARN_REGION_NOT_ALLOWED',
      `The service ${service} does not support specifying a Region in the resource ARN.`,
      path,
    );
  }
  if (
    formats !== undefined &&
    formats.length > 0 &&
    account !== '' &&
    !flexible(account) &&
    formats.every((f) => !f.includes('${Account}'))
  ) {
    sink.report(
      'ERROR',
      'ARN_ACCOUNT_NOT_ALLOWED',
      `The service ${service} does not support specifying an account ID in the resource ARN.`,
      path,
    );
  }
}
