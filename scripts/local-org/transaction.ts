/** All-or-nothing work on the database: one transaction, committed only when the work succeeds as a whole. */
import type { Database } from 'better-sqlite3';

class RolledBack extends Error {}

/**
 * Runs `work` in one transaction and commits only when it returns true; otherwise everything
 * it wrote is rolled back (a throw is better-sqlite3's only way to roll a transaction back).
 * Returns whether it committed. Errors other than the rollback propagate as thrown.
 */
export function commitIf(db: Database, work: () => boolean): boolean {
  try {
    db.transaction(() => {
      if (!work()) throw new RolledBack();
    })();
    return true;
  } catch (error) {
    if (error instanceof RolledBack) return false;
    throw error;
  }
}
