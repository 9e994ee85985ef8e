#!/usr/bin/env node
/**
 * The `bursar` command. Each subcommand lives in its own module, loaded on demand so that
 * `bursar policy …` does not pay for the server's dependencies.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type Subcommand = { summary: string; load: () => Promise<{ run: (argv: string[]) => Promise<number> }> };

const SUBCOMMANDS: Record<string, Subcommand> = {
  policy: { summary: 'evaluate, validate and explore IAM policies', load: () => import('./policy-command.js') },
  serve: { summary: 'run the Bursar server (APIs and console)', load: () => import('./serve-command.js') },
  import: { summary: 'import FOCUS or AWS CUR cost data', load: () => import('./import-command.js') },
  events: { summary: 'look up audit events', load: () => import('./events-command.js') },
  'who-can': { summary: 'who may perform an action, and why', load: () => import('./who-can-command.js') },
  can: {
    summary: 'what one principal may do in a service',
    load: async () => {
      const { run } = await import('./who-can-command.js');
      return { run: (argv: string[]) => run(argv, 'can') };
    },
  },
  'access-matrix': {
    summary: 'every principal × billing actions or console pages',
    load: () => import('./access-matrix-command.js'),
  },
  scenario: {
    summary: 'apply, test and export scenarios as code',
    load: () => import('./scenario-command.js'),
  },
  'rotate-master-key': {
    summary: 're-seal the secrets at rest under a new master key',
    load: () => import('./rotate-master-key-command.js'),
  },
};

function usage(): string {
  const lines = Object.entries(SUBCOMMANDS).map(([name, s]) => `  ${name.padEnd(17)} ${s.summary}`);
  return `usage: bursar <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const subcommand = SUBCOMMANDS[name];
  if (subcommand === undefined) {
    process.stderr.write(`bursar: unknown command \`${name}\`\n\n${usage()}`);
    return 2;
  }
  const module = await subcommand.load();
  return module.run(rest);
}

// Run only when executed (through npm's bin symlink too), not when imported by a test.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`bursar: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
