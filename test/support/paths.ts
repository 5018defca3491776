import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root and the shared reference material beside it. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED_FIXTURES = path.resolve(REPO_ROOT, '..', 'shared', 'fixtures', 'polyaxon');
