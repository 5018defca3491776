import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { isError } from '../diagnostics/diagnostic.js';
import { readConnectionCatalog, type ConnectionCatalog } from '../resolve/connection-catalog.js';
import { readInput, type Console } from './io.js';

/** `--connections FILE`: the catalog, or the problems that kept it from being read. */
export async function readCatalogOption(
  file: string | undefined,
  io: Console,
  maxBytes: number,
): Promise<{ catalog?: ConnectionCatalog; diagnostics: Diagnostic[] }> {
  if (file === undefined) return { diagnostics: [] };
  const input = await readInput(file, io, maxBytes);
  const read = 'text' in input ? readConnectionCatalog(input.name, input.text) : { diagnostics: [input] };
  return read.catalog && !read.diagnostics.some(isError) ? read : { diagnostics: read.diagnostics };
}
