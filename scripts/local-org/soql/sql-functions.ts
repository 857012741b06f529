/**
 * SQL functions the compiled queries call for semantics SQLite lacks: full Unicode case
 * folding, and multi-select picklist matching (values are stored as 'A;B;C').
 */
import type { Database } from 'better-sqlite3';
import { fold } from './literals.ts';

const registered = new WeakSet<Database>();

function valuesOf(stored: string): Set<string> {
  return new Set(stored.split(';').map((v) => fold(v.trim())));
}

export function registerSqlFunctions(db: Database): void {
  if (registered.has(db)) return;
  db.function('soql_fold', { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? fold(value) : value
  );
  // INCLUDES: true when any term's values all occur in the stored set (terms are 'A;B').
  db.function(
    'soql_includes',
    { deterministic: true },
    (stored: unknown, termsJson: unknown) => {
      if (typeof stored !== 'string' || typeof termsJson !== 'string') return 0;
      const have = valuesOf(stored);
      const terms = JSON.parse(termsJson) as string[][];
      return terms.some((term) => term.every((value) => have.has(value)))
        ? 1
        : 0;
    }
  );
  // '=' on a multi-select picklist matches the same set of values in any order.
  db.function(
    'soql_mps_equals',
    { deterministic: true },
    (stored: unknown, expected: unknown) => {
      if (typeof stored !== 'string' || typeof expected !== 'string')
        return null;
      const have = valuesOf(stored);
      const want = valuesOf(expected);
      return have.size === want.size &&
        [...want].every((value) => have.has(value))
        ? 1
        : 0;
    }
  );
  registered.add(db);
}
