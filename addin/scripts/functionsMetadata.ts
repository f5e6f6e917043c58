// functions.json for the LEDGERDESK custom functions, generated from their JSDoc with Microsoft's
// custom-functions-metadata, and checked against the functions the runtime associates: a function without metadata,
// metadata without a function, or a parameter count that differs stops the build.
import path from 'node:path';
import { generateCustomFunctionsMetadata } from 'custom-functions-metadata';
import { LEDGERDESK_FUNCTIONS } from '../src/functions/functions';

export const FUNCTIONS_SOURCE = path.resolve(__dirname, '..', 'src', 'functions', 'functions.ts');

export class FunctionsMetadataError extends Error {
  readonly code = 'FUNCTIONS_METADATA';
}

export interface FunctionMetadata {
  id: string;
  name: string;
  description?: string;
  parameters: { name: string; type?: string; optional?: boolean; description?: string }[];
  result: { type?: string; dimensionality?: string };
  options?: { stream?: boolean };
}

/** The metadata of `source` (JSON text and parsed); the generator's own errors are thrown with their positions. */
export async function generateFunctionsMetadata(
  source = FUNCTIONS_SOURCE,
): Promise<{ json: string; functions: FunctionMetadata[] }> {
  const res = await generateCustomFunctionsMetadata(source);
  if (res.errors.length > 0)
    throw new FunctionsMetadataError(`custom-functions-metadata: ${res.errors.join('; ')} (${source})`);
  if (res.metadataJson === '') throw new FunctionsMetadataError(`No @customfunction found in ${source}.`);
  const parsed = JSON.parse(res.metadataJson) as { functions: FunctionMetadata[] };
  return { json: res.metadataJson, functions: parsed.functions };
}

/**
 * Every function the runtime associates has metadata under its id, and nothing else has; each one's parameters in
 * the metadata plus the streaming invocation are its JavaScript parameters.
 */
export function checkFunctionsMetadata(
  functions: readonly FunctionMetadata[],
  associated: Readonly<Record<string, (...args: never[]) => unknown>> = LEDGERDESK_FUNCTIONS,
): void {
  const problems: string[] = [];
  const described = new Map(functions.map((f) => [f.id, f]));
  for (const [id, fn] of Object.entries(associated)) {
    const meta = described.get(id);
    if (meta === undefined) {
      problems.push(`${id} is associated but has no metadata (add a JSDoc block with @customfunction ${id})`);
      continue;
    }
    const expected = meta.parameters.length + (meta.options?.stream === true ? 1 : 0);
    if (fn.length !== expected)
      problems.push(`${id} takes ${fn.length} parameters but its metadata describes ${expected}`);
  }
  for (const id of described.keys())
    if (!(id in associated)) problems.push(`${id} has metadata but is not associated (LEDGERDESK_FUNCTIONS)`);
  if (problems.length > 0)
    throw new FunctionsMetadataError(`functions.json does not match the source: ${problems.join('; ')}.`);
}
