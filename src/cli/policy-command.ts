/**
 * `bursar policy evaluate|validate|actions`: the policy engine on the command line.
 * The JSON shapes each subcommand reads and prints are a contract (see the README).
 */
type PolicySubcommand = { summary: string; load: () => Promise<{ run: (argv: string[]) => Promise<number> }> };

const SUBCOMMANDS: Record<string, PolicySubcommand> = {
  evaluate: {
    summary: 'evaluate one case (or JSON Lines of cases) from stdin',
    load: () => import('./policy-evaluate.js'),
  },
  validate: { summary: 'validate a policy document from stdin', load: () => import('./policy-validate.js') },
  actions: { summary: 'list a service’s actions and access levels', load: () => import('./policy-actions.js') },
};

export async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const subcommand = name === undefined ? undefined : SUBCOMMANDS[name];
  if (subcommand === undefined) {
    const lines = Object.entries(SUBCOMMANDS).map(([n, s]) => `  ${n.padEnd(9)} ${s.summary}`);
    process.stderr.write(`usage: bursar policy <subcommand>\n\nsubcommands:\n${lines.join('\n')}\n`);
    return 2;
  }
  return (await subcommand.load()).run(rest);
}
