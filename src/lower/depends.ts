import type { Depends } from '../model/pipeline.js';

/** A `depends` tree → Argo's enhanced depends syntax (`a.Succeeded && (b.Failed || b.Errored)`). */
export function renderDepends(depends: Depends): string {
  switch (depends.kind) {
    case 'result': {
      const results = depends.results.map((result) => `${depends.task}.${result}`);
      return results.length === 1 ? (results[0] ?? '') : `(${results.join(' || ')})`;
    }
    case 'all':
      return depends.of.map((d) => (d.kind === 'any' ? `(${renderDepends(d)})` : renderDepends(d))).join(' && ');
    case 'any':
      return depends.of.map((d) => (d.kind === 'all' ? `(${renderDepends(d)})` : renderDepends(d))).join(' || ');
  }
}
