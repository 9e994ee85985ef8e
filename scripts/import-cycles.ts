/**
 * Measures import cycles in `src/` (tests excluded): between folders (what the layer rule forbids) and
 * between files (allowed inside a folder, but worth knowing). Prints each strongly connected component of
 * more than one node and exits 1 when folders form a cycle.
 *
 *   node --import tsx scripts/import-cycles.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve(import.meta.dirname, '..', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

/** Relative imports of a file (static, type-only and dynamic), as paths of `.ts` files. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|^import\s+)'(\.{1,2}\/[^']+)'/gm)].map((m) => m[1]!);
  return specifiers.map((specifier) => resolve(dirname(file), specifier).replace(/\.js$/, '.ts'));
}

/** Tarjan's strongly connected components. */
function components(graph: Map<string, Set<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

const files = sources(SRC);
const fileGraph = new Map<string, Set<string>>();
const folderGraph = new Map<string, Set<string>>();
const folderOf = (file: string) => relative(SRC, file).split(/[\\/]/)[0]!;
for (const file of files) {
  const from = relative(SRC, file);
  fileGraph.set(from, new Set());
  for (const target of importsOf(file)) {
    if (!target.startsWith(SRC)) continue;
    fileGraph.get(from)!.add(relative(SRC, target));
    if (folderOf(target) !== folderOf(file)) {
      if (!folderGraph.has(folderOf(file))) folderGraph.set(folderOf(file), new Set());
      folderGraph.get(folderOf(file))!.add(folderOf(target));
    }
  }
}

const folderCycles = components(folderGraph);
const fileCycles = components(fileGraph);
const folders = new Set(files.map(folderOf));
console.log(`${files.length} files in ${folders.size} folders of src/`);
console.log(`folder cycles: ${folderCycles.length}`);
for (const cycle of folderCycles) console.log(`  ${cycle.join(' ↔ ')}`);
console.log(`file cycles: ${fileCycles.length} (${fileCycles.reduce((n, c) => n + c.length, 0)} files)`);
for (const cycle of fileCycles) console.log(`  ${cycle.join(' ↔ ')}`);
process.exitCode = folderCycles.length > 0 ? 1 : 0;
