import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/**
 * Polyaxon's own test fixtures (with EXPECTED.md) and the external corpus of real-world
 * Polyaxonfiles (with SOURCES.tsv, the hub they reference and a connections catalog), vendored
 * from the project's shared reference material so a clean checkout has them.
 */
export const SHARED_FIXTURES = path.join(REPO_ROOT, 'fixtures', 'polyaxon');
export const EXTERNAL_FIXTURES = path.join(REPO_ROOT, 'fixtures', 'external');
