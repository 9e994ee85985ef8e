// Placeholder until `bursar policy actions` lands; its owner replaces this file.
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('bursar policy actions: not available yet\n');
  return 1;
}
