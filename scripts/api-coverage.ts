/**
 * How much of each AWS service Bursar serves is implemented: per service, the operations in the vendored model
 * (src/models/services/), those the server registers, and those missing. `npm run api-coverage` prints the
 * table README.md shows under "API coverage" (scripts/print-api-coverage.ts); test/contracts/api-coverage.test.ts
 * checks the figures against the registry and the README's copy against this.
 */
import type { ServiceModel } from '../src/models/model.js';

export interface ServiceCoverage {
  service: string;
  modelled: string[];
  implemented: string[];
  missing: string[];
}

/** The services the issue names first, then the rest in the models' order. */
const LEADING = ['iam', 'sts', 'organizations', 'budgets', 'account', 'cur', 'bcm-data-exports', 'ce'];

/** Bursar's own models (src/models/services/bursar.ts, billing.ts): not AWS's, so no AWS operation to miss. */
const BURSAR_SERVICES = new Set(['bursar', 'billing']);

/**
 * Coverage of the AWS services among `models`. An operation the registry has but the model lacks is a
 * mistake and throws.
 */
export function apiCoverage(
  models: Record<string, ServiceModel>,
  registered: (service: string) => string[],
): ServiceCoverage[] {
  const services = Object.keys(models).filter((service) => !BURSAR_SERVICES.has(service));
  const rank = (service: string) => (LEADING.includes(service) ? LEADING.indexOf(service) : LEADING.length);
  services.sort((a, b) => rank(a) - rank(b));
  return services.map((service) => {
    const model = models[service]!;
    const modelled = Object.keys(model.operations).sort();
    const names = new Set(registered(service));
    const stray = [...names].filter((name) => model.operations[name] === undefined);
    if (stray.length > 0) throw new Error(`${service}: registered but not in the model: ${stray.join(', ')}`);
    return {
      service,
      modelled,
      implemented: modelled.filter((name) => names.has(name)),
      missing: modelled.filter((name) => !names.has(name)),
    };
  });
}

const percent = (part: number, whole: number) => `${whole === 0 ? 100 : Math.floor((part * 100) / whole)} %`;

/** The Markdown table: one row per service, its missing operations named, and a totals row. */
export function coverageTable(coverage: ServiceCoverage[]): string {
  const rows = coverage.map(
    (entry) =>
      `| ${entry.service} | ${entry.modelled.length} | ${entry.implemented.length} | ${percent(entry.implemented.length, entry.modelled.length)} | ${entry.missing.length === 0 ? '—' : entry.missing.join(', ')} |`,
  );
  const modelled = coverage.reduce((sum, entry) => sum + entry.modelled.length, 0);
  const implemented = coverage.reduce((sum, entry) => sum + entry.implemented.length, 0);
  return [
    '| service | in AWS model | implemented | covered | missing |',
    '| --- | ---: | ---: | ---: | --- |',
    ...rows,
    `| **total** | ${modelled} | ${implemented} | ${percent(implemented, modelled)} | ${modelled - implemented} |`,
  ].join('\n');
}
