/**
 * IAM's input rules that its API model cannot express. Everything the model does say — required members,
 * lengths, patterns, list sizes — `invoke()` has checked before a handler runs (src/models/validate.ts), so
 * the area trusts those and checks only what follows.
 */
import type { TaggableType } from './tags.js';
import type { Tag } from '../contracts/wire/iam.js';
import { validationError } from '../core/errors.js';
import { invalidInput } from './errors.js';

/**
 * A call's tags, checked: no key may begin with `aws:` (AWS's own), and no key may repeat. Keys of users and
 * roles are compared without regard to case (AWS: "you cannot have separate Department and department tag
 * keys"); those of policies, instance profiles, providers, server certificates and MFA devices are case sensitive.
 */
export function checkTags(tags: readonly Tag[] | undefined, type: TaggableType): Tag[] {
  const caseless = caselessTagKeys(type);
  const seen = new Set<string>();
  for (const { Key } of tags ?? []) {
    if (Key.toLowerCase().startsWith('aws:'))
      throw invalidInput(`Tag keys beginning with 'aws:' are reserved for AWS use.`);
    const key = caseless ? Key.toLowerCase() : Key;
    if (seen.has(key)) {
      throw invalidInput(
        caseless
          ? 'Duplicate tag keys found. Please note that Tag keys are case insensitive.'
          : 'Duplicate tag keys found.',
      );
    }
    seen.add(key);
  }
  return tags === undefined ? [] : [...tags];
}

/** Whether the tag keys of a kind of IAM resource are compared without regard to case (users' and roles'). */
export const caselessTagKeys = (type: TaggableType): boolean => type === 'user' || type === 'role';

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
