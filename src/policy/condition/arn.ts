/**
 * ARN operators. AWS documents ArnEquals and ArnLike alike: each of the six colon-delimited parts is
 * compared separately, case-sensitively, and each may use `*` and `?` (see glob.ts for the segment rule).
 */
import { compileGlob, type Matcher } from '../glob.js';
import { identity, operator, type OperatorFamily } from './operator.js';

const arn: OperatorFamily<Matcher, string> = {
  variables: true,
  glob: true,
  preparePolicy: (v) => compileGlob(v, { arn: 'condition' }),
  prepareContext: identity,
  test: (c, p) => p(c),
};

export const ArnEquals = operator('ArnEquals', arn);
export const ArnLike = operator('ArnLike', arn);
export const ArnNotEquals = operator('ArnNotEquals', arn, true);
export const ArnNotLike = operator('ArnNotLike', arn, true);
