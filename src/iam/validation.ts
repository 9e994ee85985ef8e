/**
 * IAM's input rules that its API model cannot express. Everything the model does say — required members,
 * lengths, patterns, list sizes — `invoke()` has checked before a handler runs (src/models/validate.ts), so
 * the area trusts those and checks only what follows.
 */
import type { Tag } from '../contracts/wire/iam.js';
import { validationError } from '../core/errors.js';
import { invalidInput } from './errors.js';

/** Tag keys are unique without regard to case: a set-wide rule no member constraint states. */
export function checkTags(tags: readonly Tag[] | undefined): Tag[] {
  const seen = new Set<string>();
  for (const { Key } of tags ?? []) {
    if (seen.has(Key.toLowerCase()))
      throw invalidInput('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(Key.toLowerCase());
  }
  return tags === undefined ? [] : [...tags];
}

/** The model's pattern admits an all-digit alias; AWS refuses one that looks like an account id. */
export function checkAccountAlias(alias: string): string {
  if (/^\d{12}$/.test(alias)) throw invalidInput('The account alias cannot be a 12-digit number.');
  return alias;
}

/**
 * The model gives a virtual MFA device's name no maximum, but the device's serial number is its ARN
 * (`arn:aws:iam::<account>:mfa/<name>`, 30 characters before the name), and a serial number has at most 256.
 */
export function checkVirtualMfaDeviceName(name: string): string {
  if (name.length > 226) {
    throw validationError(
      `1 validation error detected: Value '${name}' at 'virtualMFADeviceName' failed to satisfy constraint: Member must have length less than or equal to 226`,
    );
  }
  return name;
}
