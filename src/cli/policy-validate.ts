// Placeholder until `bursar policy validate` lands; its owner replaces this file.
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('bursar policy validate: not available yet\n');
  return 1;
}
