// Placeholder until the `bursar import` subcommand lands; its owner replaces this file.
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('bursar import: not available yet\n');
  return 1;
}
