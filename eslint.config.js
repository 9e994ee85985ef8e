// Lint rules: typescript-eslint's recommended set, plus the house rules that keep the core pure and the
// layers in one direction.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The dependency rule (docs/architecture.md): a folder of src/ imports only from folders in rows above its
 * own, never from a folder in its own row or below. Adding a folder means adding it to one row here.
 */
const LAYERS = [
  ['contracts'], // wire shapes and reference data shared with web/ (imports nothing outside itself)
  ['platform', 'policy'], // clock, ids, config, logs; the pure policy engine
  ['core'], // the operation and access contracts, ServiceError
  ['models', 'catalog', 'auth'], // AWS's service models and validation; the action catalog; SigV4
  ['store'], // the database, migrations, tables
  ['audit', 'iam', 'billing'], // the areas: what each keeps and decides
  ['organizations'], // builds on IAM (member accounts' roles, SCPs over IAM's decisions)
  // Scenarios as code: a client of the public APIs, given its clients (AWS SDK clients against an endpoint,
  // or the console's calls through invoke() as the signed-in caller), so operations may use it too.
  ['scenario'],
  ['operations'], // every operation: access rules and thin handlers over the areas; invoke()
  ['api', 'console'], // the AWS wire protocols; the web console's endpoint
  ['server'], // the composition root (world.ts) and the HTTP server
  ['cli'],
];
/** Extra restrictions of a folder, beside the layer rule (no-restricted-imports takes one setting per file). */
const FOLDER_PATTERNS = {
  // The policy engine is pure: no clock, no randomness, no I/O. Time and context are inputs.
  policy: [{ group: ['node:*', 'fs', 'path', 'http', 'crypto'], message: 'The policy engine does no I/O.' }],
};
/**
 * Modules of platform's row that do no I/O and read no clock, so that their row neighbours — the pure policy engine
 * among them — may import them as well.
 */
const PURE_SHARED = ['platform/bounded-cache.js'];
/** How deep a source file may sit below its top folder (src/billing/costs/import/x.ts is depth 3). */
const MAX_DEPTH = 4;

function layerRules() {
  const configs = [];
  const pureShared = `(?!(${PURE_SHARED.map((module) => module.replaceAll('.', '\\.')).join('|')})$)`;
  LAYERS.forEach((row, index) => {
    const above = LAYERS.slice(index + 1).flat();
    for (const folder of row) {
      const forbidden = [...row.filter((other) => other !== folder), ...above];
      for (let depth = 1; depth <= MAX_DEPTH; depth++) {
        // From depth d, `../` d times reaches src/: an exact match on the folder the specifier enters.
        const up = '\\.\\./'.repeat(depth);
        const patterns = [...(FOLDER_PATTERNS[folder] ?? [])];
        if (forbidden.length > 0) {
          patterns.push({
            regex: `^${up}${row.includes('platform') ? pureShared : ''}(${forbidden.join('|')})(/|$)`,
            message: `src/${folder} may not import from ${forbidden.join(', ')}: layers point one way (eslint.config.js LAYERS, docs/architecture.md).`,
          });
        }
        configs.push({
          files: [`src/${folder}/${'*/'.repeat(depth - 1)}*.ts`],
          // A test may assemble its subject with layers above it (the store's contract suite runs IAM's queries).
          ignores: ['**/*.test.ts'],
          rules: { 'no-restricted-imports': ['error', { patterns }] },
        });
      }
    }
  });
  return configs;
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'web/dist/**', 'test-artifacts/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  ...layerRules(),
  // The contracts the web console shares are plain data and types: they import nothing from outside
  // src/contracts (the generated wire types in src/contracts/wire/ import nothing at all).
  ...[
    { files: ['src/contracts/*.ts'], outside: '^(\\.\\./|[^.])' },
    { files: ['src/contracts/*/*.ts'], outside: '^(\\.\\./\\.\\./|[^.])' },
  ].map(({ files, outside }) => ({
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: outside, message: 'src/contracts imports nothing from outside it: the web console bundles it.' },
          ],
        },
      ],
    },
  })),
  {
    // The web console reaches the server's code only through src/contracts.
    files: ['web/src/**/*.ts', 'web/src/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+src/(?!contracts/)',
              message: 'web/ imports from the server only through src/contracts.',
            },
          ],
        },
      ],
    },
  },
  {
    // The policy engine is pure: no clock, no randomness, no I/O. Time and context are inputs.
    files: ['src/policy/**/*.ts'],
    ignores: ['src/policy/**/*.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'The engine reads no clock; take time from the request context.' },
        { object: 'Math', property: 'random', message: 'The engine is deterministic.' },
      ],
      'no-restricted-globals': ['error', 'process', 'fetch', 'setTimeout'],
    },
  },
);
