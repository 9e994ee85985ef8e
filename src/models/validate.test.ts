/**
 * The models' Java patterns as JavaScript matches them: every shipped pattern compiles (validation skips one
 * that does not), and the forms rewritten for JavaScript keep Java's meaning.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serviceModels } from './services/index.js';
import { compiledPattern, ModelValidationError, validateInput } from './validate.js';

const patternOf = (service: string, shape: string): RegExp => {
  const pattern = serviceModels[service]!.shapes[shape]!.pattern!;
  const compiled = compiledPattern(pattern);
  assert.ok(compiled !== null, `${service} ${shape}: ${pattern}`);
  return compiled;
};

describe("the models' patterns", () => {
  it('every pattern of every shipped model compiles, so none is skipped', () => {
    const skipped: string[] = [];
    let count = 0;
    for (const [service, model] of Object.entries(serviceModels)) {
      for (const [name, shape] of Object.entries(model.shapes)) {
        if (shape.pattern === undefined) continue;
        count++;
        if (compiledPattern(shape.pattern) === null) skipped.push(`${service} ${name}: ${shape.pattern}`);
      }
    }
    assert.deepEqual(skipped, []);
    assert.ok(count > 200, `the models' patterns were found: ${count}`);
  });

  it("BudgetName: no ':', '\\' or /action/; a later (?i) holds only in its own alternative", () => {
    const name = patternOf('budgets', 'BudgetName');
    for (const good of ['Monthly EC2', 'team/action', 'a/ACTION/b', '<script>x']) assert.ok(name.test(good), good);
    for (const bad of ['a:b', 'a\\b', 'x/action/y', '<script>alert(1)</script>', 'x<SCRIPT>y</Script>z']) {
      assert.ok(!name.test(bad), bad);
    }
  });

  it("a '-' after a class escape in brackets is Java's literal hyphen (cost category names)", () => {
    const name = patternOf('ce', 'CostCategoryName');
    for (const good of ['Team-A_1 x', 'Équipe', '-_']) assert.ok(name.test(good), good);
    // A range from \p{Z} to _ would have taken these; Java's literal '-' and '_' do not.
    for (const bad of [' lead', 'trail ', 'a.b', 'a/b', 'a:b']) assert.ok(!name.test(bad), bad);
  });

  it('a leading (?s) becomes the dot-all flag (CloudTrail Lake queries span lines)', () => {
    assert.ok(patternOf('cloudtrail', 'QueryStatement').test('SELECT eventName\nFROM store'));
  });

  it('refuses a pattern it cannot carry over rather than guess: flags other than i and s, brackets under a later (?i)', () => {
    assert.equal(compiledPattern('(?x)a b'), null);
    assert.equal(compiledPattern('a(?i)[b-c]'), null);
    assert.ok(compiledPattern('(?i)[b-c]')!.test('B'), 'a leading (?i) is the RegExp flag');
  });
});

describe("Budgets' model refuses a budget name with ':' or '\\' itself", () => {
  const budget = (BudgetName: string) => ({
    AccountId: '111122223333',
    Budget: { BudgetName, BudgetType: 'COST', TimeUnit: 'MONTHLY', BudgetLimit: { Amount: '1', Unit: 'USD' } },
  });

  for (const BudgetName of ['a:b', 'a\\b', 'a/action/b']) {
    it(JSON.stringify(BudgetName), () => {
      assert.throws(
        () => validateInput(serviceModels.budgets!, 'CreateBudget', budget(BudgetName)),
        (error: unknown) => {
          assert.ok(error instanceof ModelValidationError);
          assert.equal(error.code, 'ValidationError');
          assert.equal(
            error.message,
            `1 validation error detected: Value '${BudgetName}' at 'budget.budgetName' failed to satisfy constraint: ` +
              `Member must satisfy regular expression pattern: ${serviceModels.budgets!.shapes.BudgetName!.pattern}`,
          );
          return true;
        },
      );
    });
  }

  it('takes a name the pattern allows', () => {
    validateInput(serviceModels.budgets!, 'CreateBudget', budget('Team budget/2026 (EC2)'));
  });
});
