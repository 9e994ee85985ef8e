/**
 * `bursar policy evaluate`: reads one case (JSON, pretty-printed or not) or JSON Lines of cases from stdin
 * and prints one result per case, in order:
 * `{"decision","explanation","matched","blockedBy","missingContextKeys"}`, or `{"error": "..."}` for a case
 * that cannot be read or compiled (the others go on). Exit code 0 when every case was evaluated, 1 otherwise.
 * Input is streamed: thousands of lines cost one process and constant memory.
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { evaluateCase } from '../policy/index.js';
import type { EvaluationCase } from '../policy/index.js';

function answer(value: unknown): { line: string; ok: boolean } {
  try {
    const result = evaluateCase(value as EvaluationCase);
    const out = {
      decision: result.decision,
      explanation: result.explanation,
      matched: result.matched,
      blockedBy: result.blockedBy,
      missingContextKeys: result.missingContextKeys,
    };
    return { line: JSON.stringify(out), ok: true };
  } catch (error) {
    return { line: JSON.stringify({ error: error instanceof Error ? error.message : String(error) }), ok: false };
  }
}

function parseError(error: unknown): { line: string; ok: boolean } {
  const message = error instanceof Error ? error.message : String(error);
  return { line: JSON.stringify({ error: `malformed JSON: ${message}` }), ok: false };
}

export async function run(_argv: string[], input: NodeJS.ReadableStream = process.stdin): Promise<number> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let allOk = true;
  let pending = '';
  // Output is written in chunks; when stdout is slower than we are, wait for it (constant memory).
  let drained: Promise<void> | undefined;
  const emit = (r: { line: string; ok: boolean }): void => {
    allOk &&= r.ok;
    pending += `${r.line}\n`;
    if (pending.length > 64 * 1024) {
      if (!process.stdout.write(pending)) drained = once(process.stdout, 'drain').then(() => undefined);
      pending = '';
    }
  };
  // JSON Lines until the first non-blank line fails to parse alone; then the input is one (pretty) document.
  let mode: 'unknown' | 'lines' | 'document' = 'unknown';
  const buffered: string[] = [];
  for await (const line of lines) {
    if (mode === 'document') {
      buffered.push(line);
      continue;
    }
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      if (mode === 'unknown') {
        mode = 'document';
        buffered.push(line);
      } else {
        emit(parseError(error));
      }
      continue;
    }
    mode = 'lines';
    emit(answer(value));
    if (drained !== undefined) {
      await drained;
      drained = undefined;
    }
  }
  if (mode === 'document') {
    const text = buffered.join('\n');
    let value: unknown;
    let parsed = true;
    try {
      value = JSON.parse(text);
    } catch {
      parsed = false;
    }
    if (parsed) {
      emit(answer(value));
    } else {
      // Not one document either: answer line by line so each bad line gets its own error.
      for (const line of buffered) {
        if (line.trim() === '') continue;
        try {
          emit(answer(JSON.parse(line)));
        } catch (error) {
          emit(parseError(error));
        }
      }
    }
  }
  if (mode === 'unknown') emit({ line: JSON.stringify({ error: 'no case on stdin' }), ok: false });
  process.stdout.write(pending);
  return allOk ? 0 : 1;
}
