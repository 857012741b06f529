/**
 * The benchmarks' raw SQLite baseline: the rows the local org stores for a batch of cases,
 * written straight into a database with the org's schema, so the org's own paths can be
 * compared with the cost of the storage alone.
 */
import Database from 'better-sqlite3';
import type { Database as DatabaseType } from 'better-sqlite3';
import { makeId } from '../local-org/ids.ts';
import { ACCOUNT_NAMES, caseRecord, type CaseRow } from './case-rows.ts';

export function openLikeTheOrg(dbPath: string): DatabaseType {
  // The same journal mode as the org's file database, so the baseline pays the same commit cost.
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  return db;
}

/**
 * Raw baseline: the rows the org stores for these cases (the same non-null columns, system
 * fields included), one prepared INSERT inside one transaction on a fresh database with the
 * org's schema and indexes.
 */
export function rawInsert(db: DatabaseType, rows: CaseRow[]): number {
  const now = new Date().toISOString();
  const userId = makeId('005', 1);
  const accountIds = ACCOUNT_NAMES.map((_, i) => makeId('001', i + 1));
  const insertAccount = db.prepare(
    'INSERT INTO "Account" ("Id", "Name", "OwnerId", "CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById", "SystemModstamp", "IsDeleted") VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)'
  );
  const insertCase = db.prepare(
    `INSERT INTO "Case" ("Id", "CaseNumber", "Subject", "Status", "Priority", "Origin", "Description", "AccountId", "Source_Case_Key__c", "OwnerId", "BusinessHoursId",
      "CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById", "SystemModstamp",
      "IsDeleted", "IsClosed", "IsClosedOnCreate", "IsEscalated", "IsStopped", "HasCommentsUnreadByOwner", "HasSelfServiceComments", "IsSelfServiceClosed", "IsVisibleInSelfService")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 0, 0, 0, 0, 0, 0, 0)`
  );
  const businessHoursId = makeId('01m', 1);
  db.transaction(() => {
    accountIds.forEach((id, i) =>
      insertAccount.run(
        id,
        ACCOUNT_NAMES[i],
        userId,
        now,
        userId,
        now,
        userId,
        now
      )
    );
    rows.forEach((row, i) => {
      const record = caseRecord(row, accountIds);
      insertCase.run(
        makeId('500', i + 1),
        String(1000 + i).padStart(8, '0'),
        record.Subject,
        record.Status,
        record.Priority,
        record.Origin,
        record.Description,
        record.AccountId,
        record.Source_Case_Key__c,
        userId,
        businessHoursId,
        now,
        userId,
        now,
        userId,
        now,
        row.Status === 'Closed' ? 1 : 0
      );
    });
  })();
  return (db.prepare('SELECT COUNT(*) AS n FROM "Case"').get() as { n: number })
    .n;
}
