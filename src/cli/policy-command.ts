// Placeholder until the `bursar policy` subcommand lands; its owner replaces this file.
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('bursar policy: not available yet\n');
  return 1;
}
