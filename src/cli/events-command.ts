// Placeholder until the `bursar events` subcommand lands; its owner replaces this file.
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('bursar events: not available yet\n');
  return 1;
}
