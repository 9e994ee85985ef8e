/** The quotas AWS puts on one policy document, by kind, and its size as AWS counts it against them. */
import type { PolicyKind } from './validate.js';
import { withoutWhitespace } from './validate-json.js';

/** AWS's quotas on one policy document, in characters. */
export interface SizeLimit {
  max: number;
  /** IAM does not count whitespace; Organizations counts the document as submitted through the API. */
  countsWhitespace: boolean;
  issueCode: string;
  label: string;
}

export const POLICY_SIZE_LIMITS: Readonly<Partial<Record<PolicyKind, SizeLimit>>> = {
  managed: {
    max: 6144,
    countsWhitespace: false,
    issueCode: 'POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA',
    label: 'managed policy',
  },
  'inline-user': {
    max: 2048,
    countsWhitespace: false,
    issueCode: 'POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA',
    label: 'user inline policies',
  },
  'inline-group': {
    max: 5120,
    countsWhitespace: false,
    issueCode: 'POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA',
    label: 'group inline policies',
  },
  'inline-role': {
    max: 10240,
    countsWhitespace: false,
    issueCode: 'POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA',
    label: 'role inline policies',
  },
  trust: {
    max: 2048,
    countsWhitespace: false,
    issueCode: 'POLICY_SIZE_EXCEEDS_TRUST_POLICY_QUOTA',
    label: 'role trust policy',
  },
  scp: {
    max: 5120,
    countsWhitespace: true,
    issueCode: 'POLICY_SIZE_EXCEEDS_SCP_QUOTA',
    label: 'service control policy (SCP)',
  },
  rcp: {
    max: 5120,
    countsWhitespace: true,
    issueCode: 'POLICY_SIZE_EXCEEDS_RCP_QUOTA',
    label: 'resource control policy (RCP)',
  },
};

/**
 * A document's size as AWS counts it against the kind's quota. Inline-policy quotas are per entity (the sum of
 * all its inline policies), so IAM adds these sizes up across an entity's policies.
 */
export function policySize(text: string, kind: PolicyKind): number {
  return POLICY_SIZE_LIMITS[kind]?.countsWhitespace === true ? text.length : withoutWhitespace(text).length;
}
