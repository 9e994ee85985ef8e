/** BinaryEquals: the base64 text of the value compared exactly. */
import { identity, operator, type OperatorFamily } from './operator.js';

const binary: OperatorFamily<string, string> = {
  variables: false,
  glob: false,
  preparePolicy: identity,
  prepareContext: identity,
  test: (c, p) => c === p,
};

export const BinaryEquals = operator('BinaryEquals', binary);
