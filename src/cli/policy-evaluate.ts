// Placeholder until `bursar policy evaluate` lands; its owner replaces this file.
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('bursar policy evaluate: not available yet\n');
  return 1;
}
