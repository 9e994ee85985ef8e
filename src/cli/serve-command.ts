// Placeholder until the `bursar serve` subcommand lands; its owner replaces this file.
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('bursar serve: not available yet\n');
  return 1;
}
