/** String operators: exact (case-sensitive), IgnoreCase, and Like (`*`/`?` wildcards, case-sensitive). */
import { compileGlob, type Matcher } from '../glob.js';
import { identity, operator, type OperatorFamily } from './operator.js';

const equals: OperatorFamily<string, string> = {
  variables: true,
  glob: false,
  preparePolicy: identity,
  prepareContext: identity,
  test: (c, p) => c === p,
};

const equalsIgnoreCase: OperatorFamily<string, string> = {
  variables: true,
  glob: false,
  preparePolicy: (v) => v.toLowerCase(),
  prepareContext: identity,
  test: (c, p) => c.length === p.length && c.toLowerCase() === p,
};

const like: OperatorFamily<Matcher, string> = {
  variables: true,
  glob: true,
  preparePolicy: (v) => compileGlob(v),
  prepareContext: identity,
  test: (c, p) => p(c),
};

export const StringEquals = operator('StringEquals', equals);
export const StringNotEquals = operator('StringNotEquals', equals, true);
export const StringEqualsIgnoreCase = operator('StringEqualsIgnoreCase', equalsIgnoreCase);
export const StringNotEqualsIgnoreCase = operator('StringNotEqualsIgnoreCase', equalsIgnoreCase, true);
export const StringLike = operator('StringLike', like);
export const StringNotLike = operator('StringNotLike', like, true);
