import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMoney, formatQuantity, parseMoney } from './money.js';

describe('money units', () => {
  it('parses plain and E-notation decimals exactly, rounding half to even past ten decimals', () => {
    assert.equal(parseMoney('0.0263888891'), 263888891n);
    assert.equal(parseMoney('4.0E-7'), 4000n);
    assert.equal(parseMoney('2.26799E-5'), 226799n);
    assert.equal(parseMoney('-1.5'), -15000000000n);
    assert.equal(parseMoney('0.00000000005'), 0n);
    assert.equal(parseMoney('0.00000000015'), 2n);
    assert.equal(parseMoney('123456789012.1234567890'), 1234567890121234567890n);
    assert.equal(parseMoney('abc'), undefined);
    assert.equal(parseMoney(''), undefined);
  });

  it('formats as AWS prints amounts', () => {
    assert.equal(formatMoney(0n), '0');
    assert.equal(formatMoney(394826997565n), '39.4826997565');
    assert.equal(formatMoney(-15000000000n), '-1.5');
    assert.equal(formatMoney('1234567890121234567890'), '123456789012.123456789');
  });

  it('formats integer text (a HUGEINT sum as DuckDB prints it) as bigint division would', () => {
    const byDivision = (units: bigint) => {
      const magnitude = units < 0n ? -units : units;
      const fraction = (magnitude % 10n ** 10n).toString().padStart(10, '0').replace(/0+$/, '');
      const text = `${magnitude / 10n ** 10n}${fraction === '' ? '' : `.${fraction}`}`;
      return units < 0n ? `-${text}` : text;
    };
    const cases = ['0', '5', '-5', '10000000000', '-10000000000', '0012', '-170141183460469231731687303715884105727'];
    for (const text of cases) assert.equal(formatMoney(text), byDivision(BigInt(text)), text);
    assert.equal(formatMoney('-5'), '-0.0000000005');
    assert.equal(formatMoney('-0'), '0');
    assert.equal(formatMoney(' 12'), '0.0000000012', 'other text BigInt accepts still formats');
    assert.throws(() => formatMoney('1.5'), SyntaxError);
  });

  it('formats quantities', () => {
    assert.equal(formatQuantity(2.5), '2.5');
    assert.equal(formatQuantity(0), '0');
  });
});
