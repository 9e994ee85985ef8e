/**
 * One migration set for every dialect, applied in name order at start. Each area adds its own file
 * (`0001-iam.ts`, `0002-organizations.ts`, `0003-billing.ts`, …) and one line here.
 */
import type { Migration } from 'kysely';

export const migrations: Record<string, Migration> = {};
