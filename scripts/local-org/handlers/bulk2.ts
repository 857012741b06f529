/**
 * Bulk API 2.0 ingest and query jobs, as jsforce's bulk2 drives them. Jobs live in memory
 * (a restart forgets them, as an expired job would be). An ingest job is processed when it
 * is closed (UploadComplete); each row is its own savepoint, so one bad row fails alone.
 * CSV conventions: an empty cell leaves the field unset, '#N/A' sets it to null.
 *
 * An ingest's uploads and result lines are kept in SQLite TEMP tables (the connection's own,
 * spilled to disk and dropped when the org stops), never as whole strings in memory: the
 * uploads are parsed piece by piece and written in chunks, so memory does not grow with rows.
 */
import type { Database } from 'better-sqlite3';
import { Parser } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import { API_VERSION, perOrg, type OrgContext } from '../context.ts';
import {
  createRecord,
  deleteRecord,
  objectOrThrow,
  updateRecord,
  upsertRecord
} from '../dml.ts';
import { ApiError, missingId } from '../errors.ts';
import {
  isObject,
  json,
  jsonObjectBody,
  type ApiResponse,
  type Handler
} from '../http-types.ts';
import { nextId } from '../storage.ts';
import {
  addDaily,
  BULK_BATCHES,
  BULK_QUERY_BYTES,
  BULK_QUERY_JOBS
} from '../usage.ts';
import { scalarText } from '../values.ts';
import { describeQueryColumns, type QueryColumn } from '../soql/index.ts';
import { runSoql } from './query.ts';

/**
 * Result CSVs quote every value, as Salesforce's do: jsforce splits unquoted lines on any of
 * `, ; | ^ \`` and tab, so one unquoted semicolon in a value would garble the whole result.
 */
function toCsv(rows: unknown[][], format: CsvFormat = DEFAULT_FORMAT): string {
  return stringify(rows, {
    quoted: true,
    delimiter: format.delimiter,
    record_delimiter: format.lineEnding
  });
}

/** A job's CSV dialect: its columnDelimiter and lineEnding (Bulk API 2.0 "Create a Job"). */
interface CsvFormat {
  delimiter: string;
  lineEnding: string;
}

const DELIMITERS: Record<string, string> = {
  BACKQUOTE: '`',
  CARET: '^',
  COMMA: ',',
  PIPE: '|',
  SEMICOLON: ';',
  TAB: '\t'
};
const LINE_ENDINGS: Record<string, string> = { LF: '\n', CRLF: '\r\n' };
const DEFAULT_FORMAT: CsvFormat = { delimiter: ',', lineEnding: '\n' };

/** The dialect a job request names (COMMA and LF unless given); anything else is INVALIDJOB. */
function csvFormatOf(body: Record<string, unknown>): {
  format: CsvFormat;
  columnDelimiter: string;
  lineEnding: string;
} {
  const columnDelimiter = scalarText(body.columnDelimiter ?? 'COMMA');
  const lineEnding = scalarText(body.lineEnding ?? 'LF');
  const delimiter = DELIMITERS[columnDelimiter];
  const ending = LINE_ENDINGS[lineEnding];
  if (delimiter === undefined)
    throw new ApiError(
      400,
      'INVALIDJOB',
      `Invalid columnDelimiter: ${columnDelimiter} (one of ${Object.keys(DELIMITERS).join(', ')})`
    );
  if (ending === undefined)
    throw new ApiError(
      400,
      'INVALIDJOB',
      `Invalid lineEnding: ${lineEnding} (LF or CRLF)`
    );
  return {
    format: { delimiter, lineEnding: ending },
    columnDelimiter,
    lineEnding
  };
}

const INGEST_OPERATIONS = new Set([
  'insert',
  'update',
  'upsert',
  'delete',
  'hardDelete'
]);

interface IngestJob {
  kind: 'ingest';
  info: Record<string, unknown> & {
    id: string;
    state: string;
    operation: string;
    object: string;
  };
  /** How many uploads (PUTs of job data) are stored for the job. */
  uploads: number;
  format: CsvFormat;
  /** The CSV header the results repeat (set when the job is processed). */
  header: string[];
}

interface QueryJob {
  kind: 'query';
  info: Record<string, unknown> & { id: string; state: string };
  rows: string[][];
  header: string[];
  format: CsvFormat;
}

type Job = IngestJob | QueryJob;

const jobs = perOrg(() => new Map<string, Job>());

const jobNotFound = (id: string): ApiError =>
  new ApiError(404, 'NOT_FOUND', `Job with id ${id} not found`);

function findJob<K extends Job['kind']>(
  ctx: OrgContext,
  id: string,
  kind: K
): Extract<Job, { kind: K }> {
  const job = jobs(ctx).get(id);
  if (job?.kind !== kind) throw jobNotFound(id);
  return job as Extract<Job, { kind: K }>;
}

function newJobInfo(
  ctx: OrgContext,
  operation: string,
  object: string
): { id: string; state: string; operation: string; object: string } & Record<
  string,
  unknown
> {
  const now = ctx.now().toISOString().replace('Z', '+0000');
  return {
    id: nextId(ctx.db, '750'),
    operation,
    object,
    createdById: ctx.userId,
    createdDate: now,
    systemModstamp: now,
    state: 'Open',
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(API_VERSION),
    lineEnding: 'LF',
    columnDelimiter: 'COMMA'
  };
}

export const createIngestJob: Handler = (ctx, req) => {
  const body = jsonObjectBody(req);
  const operation = scalarText(body.operation);
  if (!INGEST_OPERATIONS.has(operation))
    throw new ApiError(400, 'INVALIDJOB', `Invalid operation: ${operation}`);
  const object = objectOrThrow(ctx, scalarText(body.object));
  if (operation === 'upsert' && typeof body.externalIdFieldName !== 'string') {
    throw new ApiError(
      400,
      'INVALIDJOB',
      'externalIdFieldName is required for upsert'
    );
  }
  const dialect = csvFormatOf(body);
  const info = newJobInfo(ctx, operation, object.name);
  info.columnDelimiter = dialect.columnDelimiter;
  info.lineEnding = dialect.lineEnding;
  if (operation === 'upsert')
    info.externalIdFieldName = body.externalIdFieldName;
  info.contentUrl = `services/data/v${API_VERSION}/jobs/ingest/${info.id}/batches`;
  jobs(ctx).set(info.id, {
    kind: 'ingest',
    info,
    uploads: 0,
    format: dialect.format,
    header: []
  });
  return json(200, info);
};

export const uploadBatch: Handler = (ctx, req, [id = '']) => {
  const job = findJob(ctx, id, 'ingest');
  if (job.info.state !== 'Open')
    throw new ApiError(
      400,
      'INVALIDJOBSTATE',
      `Job ${id} is not open for uploads`
    );
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('text/csv'))
    throw new ApiError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `Content type '${type}' not supported; use text/csv`
    );
  storeUpload(ctx.db, id, job.uploads, req.body);
  job.uploads += 1;
  return json(201);
};

export const getIngestJob: Handler = (ctx, _req, [id = '']) =>
  json(200, findJob(ctx, id, 'ingest').info);

export const patchIngestJob: Handler = (ctx, req, [id = '']) => {
  const job = findJob(ctx, id, 'ingest');
  const state = jsonObjectBody(req).state;
  if (state === 'Aborted') {
    job.info.state = 'Aborted';
    return json(200, job.info);
  }
  if (state !== 'UploadComplete' || job.info.state !== 'Open') {
    throw new ApiError(
      400,
      'INVALIDJOBSTATE',
      `Cannot change job ${id} from ${job.info.state} to ${String(state)}`
    );
  }
  job.info.state = 'UploadComplete';
  const response = json(200, { ...job.info });
  process(ctx, job);
  return response;
};

export const deleteJob: Handler = (ctx, _req, [id = '']) => {
  if (!jobs(ctx).delete(id)) throw jobNotFound(id);
  dropStored(ctx.db, id);
  return json(204);
};

/** Characters per stored upload piece: small enough that one piece never weighs on memory. */
const PIECE_CHARS = 1 << 20;
/** Rows written per transaction, and result lines read per query. */
const CHUNK_ROWS = 2_000;

/** The TEMP tables an org's ingest jobs keep their uploads and result lines in. */
function ensureStore(db: Database): void {
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS bulk2_upload (
      job TEXT NOT NULL, upload INTEGER NOT NULL, seq INTEGER NOT NULL, text TEXT NOT NULL,
      PRIMARY KEY (job, upload, seq));
    CREATE TEMP TABLE IF NOT EXISTS bulk2_result (
      job TEXT NOT NULL, kind TEXT NOT NULL, seq INTEGER NOT NULL, line TEXT NOT NULL,
      PRIMARY KEY (job, kind, seq))`);
}

function storeUpload(
  db: Database,
  job: string,
  upload: number,
  text: string
): void {
  ensureStore(db);
  const insert = db.prepare(
    'INSERT INTO bulk2_upload (job, upload, seq, text) VALUES (?, ?, ?, ?)'
  );
  for (let at = 0, seq = 0; at < text.length; at += PIECE_CHARS, seq++)
    insert.run(job, upload, seq, text.slice(at, at + PIECE_CHARS));
}

/** One upload's text, a piece at a time (one keyed read each: no cursor held open). */
function* uploadPieces(
  db: Database,
  job: string,
  upload: number
): Generator<string> {
  const piece = db.prepare(
    'SELECT text FROM bulk2_upload WHERE job = ? AND upload = ? AND seq = ?'
  );
  for (let seq = 0; ; seq++) {
    const row = piece.get(job, upload, seq) as { text: string } | undefined;
    if (row === undefined) return;
    yield row.text;
  }
}

function dropStored(db: Database, job: string): void {
  ensureStore(db);
  db.prepare('DELETE FROM bulk2_upload WHERE job = ?').run(job);
  db.prepare('DELETE FROM bulk2_result WHERE job = ?').run(job);
}

type ResultKind = 'successful' | 'failed';

/** A result file: its header line, then its stored lines in order, CHUNK_ROWS per read. */
function resultCsv(
  db: Database,
  job: IngestJob,
  kind: ResultKind | 'unprocessed'
): string {
  const first =
    kind === 'successful'
      ? ['sf__Id', 'sf__Created']
      : kind === 'failed'
        ? ['sf__Id', 'sf__Error']
        : [];
  const parts = [toCsv([[...first, ...job.header]], job.format)];
  if (kind === 'unprocessed') return parts.join('');
  ensureStore(db);
  const page = db.prepare(
    'SELECT seq, line FROM bulk2_result WHERE job = ? AND kind = ? AND seq > ? ORDER BY seq LIMIT ?'
  );
  for (let after = -1; ;) {
    const rows = page.all(job.info.id, kind, after, CHUNK_ROWS) as {
      seq: number;
      line: string;
    }[];
    for (const row of rows) parts.push(row.line);
    const last = rows.at(-1);
    if (last === undefined || rows.length < CHUNK_ROWS) break;
    after = last.seq;
  }
  return parts.join('');
}

/**
 * The records of a CSV given in pieces, parsed as the pieces come (csv-parse's parser writes
 * and flushes synchronously, so no piece waits on the event loop).
 */
function* csvRecords(
  pieces: Iterable<string>,
  format: CsvFormat
): Generator<string[]> {
  const parser = new Parser({
    relax_column_count: false,
    skip_empty_lines: true,
    bom: true,
    delimiter: format.delimiter,
    record_delimiter: format.lineEnding
  });
  // The parser reports a broken CSV on the stream (an unclosed quote only at end()); its
  // `errored` is set at once, the 'error' event comes a tick later and is only silenced here.
  parser.on('error', () => undefined);
  function* drain(): Generator<string[]> {
    for (;;) {
      const failure = parser.errored;
      if (failure)
        throw new ApiError(400, 'INVALIDBATCH', `CSV: ${failure.message}`);
      const record = parser.read() as string[] | null;
      if (record === null) return;
      yield record;
    }
  }
  for (const piece of pieces) {
    parser.write(piece);
    yield* drain();
  }
  parser.end();
  yield* drain();
}

/**
 * The header and data records of a job's uploads, one record at a time: every upload repeats
 * the same header. `onHeader` hears the header once, before the first data record.
 */
function* uploadRecords(
  uploads: Iterable<Iterable<string>>,
  format: CsvFormat,
  onHeader: (header: string[]) => void
): Generator<string[]> {
  let header: string[] | undefined;
  for (const upload of uploads) {
    let first = true;
    for (const record of csvRecords(upload, format)) {
      if (!first) {
        yield record;
        continue;
      }
      first = false;
      if (header === undefined) {
        header = record;
        onHeader(header);
      } else if (record.join(',') !== header.join(','))
        throw new ApiError(
          400,
          'INVALIDBATCH',
          'All uploaded CSV data must have the same header'
        );
    }
  }
}

/** The header and data rows of uploads given as strings (for callers holding them whole). */
export function uploadedRows(
  uploads: readonly string[],
  format: CsvFormat = DEFAULT_FORMAT
): {
  header: string[];
  rows: string[][];
} {
  let header: string[] = [];
  const rows = [
    ...uploadRecords(
      uploads.map((upload) => [upload]),
      format,
      (first) => {
        header = first;
      }
    )
  ];
  return { header, rows };
}

function process(ctx: OrgContext, job: IngestJob): void {
  const started = Date.now();
  const id = job.info.id;
  ensureStore(ctx.db);
  const storedUploads = function* (): Generator<Generator<string>> {
    for (let upload = 0; upload < job.uploads; upload++)
      yield uploadPieces(ctx.db, id, upload);
  };
  // A first pass checks the whole CSV, so a malformed upload fails the job with nothing
  // written, as before; the second pass writes. Parsing is cheap beside the writes.
  try {
    for (const _record of uploadRecords(storedUploads(), job.format, (h) => {
      job.header = h;
    })) {
      // every record parsed, none kept
    }
  } catch (error) {
    job.info.state = 'Failed';
    job.info.errorMessage =
      error instanceof Error ? error.message : String(error);
    return;
  }
  const header = job.header;
  const operation = job.info.operation;
  const extField =
    typeof job.info.externalIdFieldName === 'string'
      ? job.info.externalIdFieldName
      : '';
  const counts = { processed: 0, successful: 0, failed: 0 };
  const addResult = ctx.db.prepare(
    'INSERT INTO bulk2_result (job, kind, seq, line) VALUES (?, ?, ?, ?)'
  );
  // Each row is a savepoint, so a failed row is undone alone. The savepoint's function is
  // made once: better-sqlite3 builds a new wrapper for every transaction() call.
  const writeIsolated = ctx.db.transaction((record: Record<string, unknown>) =>
    writeRow(ctx, job.info.object, operation, extField, record)
  );
  // CHUNK_ROWS rows a transaction: the rows in hand never outgrow one chunk.
  const writeChunk = ctx.db.transaction((chunk: string[][]) => {
    for (const cells of chunk) {
      const record: Record<string, unknown> = {};
      header.forEach((name, i) => {
        const cell = cells[i] ?? '';
        if (cell !== '') record[name] = cell === '#N/A' ? null : cell;
      });
      try {
        const result = writeIsolated(record);
        const line = toCsv(
          [[result.id, result.created ? 'true' : 'false', ...cells]],
          job.format
        );
        addResult.run(id, 'successful', counts.successful++, line);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        const fields =
          error.fields && error.fields.length > 0
            ? `:${error.fields.join(',')}`
            : '';
        const line = toCsv(
          [
            [
              scalarText(record.Id),
              // The platform ends each error with ' --' (several would be joined by it).
              `${error.errorCode}:${error.message}${fields} --`,
              ...cells
            ]
          ],
          job.format
        );
        addResult.run(id, 'failed', counts.failed++, line);
      }
    }
  });
  let chunk: string[][] = [];
  for (const cells of uploadRecords(storedUploads(), job.format, () => {
    // the header was taken in the first pass
  })) {
    chunk.push(cells);
    counts.processed++;
    if (chunk.length === CHUNK_ROWS) {
      writeChunk(chunk);
      chunk = [];
    }
  }
  if (chunk.length > 0) writeChunk(chunk);
  ctx.db.prepare('DELETE FROM bulk2_upload WHERE job = ?').run(id);
  addDaily(
    ctx.db,
    BULK_BATCHES,
    ctx.now(),
    Math.max(1, Math.ceil(counts.processed / 10_000))
  );
  Object.assign(job.info, {
    state: 'JobComplete',
    numberRecordsProcessed: counts.processed,
    numberRecordsFailed: counts.failed,
    retries: 0,
    totalProcessingTime: Date.now() - started,
    apiActiveProcessingTime: Date.now() - started,
    apexProcessingTime: 0
  });
}

function writeRow(
  ctx: OrgContext,
  object: string,
  operation: string,
  extField: string,
  record: Record<string, unknown>
): { id: string; created: boolean } {
  const id = typeof record.Id === 'string' ? record.Id : undefined;
  switch (operation) {
    case 'insert':
      return { id: createRecord(ctx, object, record), created: true };
    case 'update': {
      if (!id) throw missingId('update');
      const rest = { ...record };
      delete rest.Id;
      updateRecord(ctx, object, id, rest);
      return { id, created: false };
    }
    case 'upsert':
      return upsertRecord(ctx, object, extField, record[extField], record);
    default: {
      if (!id) throw missingId('delete');
      deleteRecord(ctx, id, object, operation === 'hardDelete');
      return { id, created: false };
    }
  }
}

const csv = (text: string): ApiResponse => ({
  status: 200,
  body: text,
  contentType: 'text/csv'
});

export const successfulResults: Handler = (ctx, _req, [id = '']) =>
  csv(resultCsv(ctx.db, completed(ctx, id, 'ingest'), 'successful'));
export const failedResults: Handler = (ctx, _req, [id = '']) =>
  csv(resultCsv(ctx.db, completed(ctx, id, 'ingest'), 'failed'));
export const unprocessedRecords: Handler = (ctx, _req, [id = '']) =>
  csv(resultCsv(ctx.db, findJob(ctx, id, 'ingest'), 'unprocessed'));

function completed<K extends Job['kind']>(
  ctx: OrgContext,
  id: string,
  kind: K
): Extract<Job, { kind: K }> {
  const job = findJob(ctx, id, kind);
  if (job.info.state !== 'JobComplete')
    throw new ApiError(400, 'INVALIDJOBSTATE', `Job ${id} is not complete`);
  return job;
}

/** Flattens parent relationships to "Account.Name" columns, as Bulk query CSV does. */
function flatten(
  record: Record<string, unknown>,
  prefix = '',
  out: Record<string, string> = {}
): Record<string, string> {
  for (const [key, value] of Object.entries(record)) {
    if (key === 'attributes') continue;
    if (isObject(value)) {
      if ('records' in value)
        throw new ApiError(
          400,
          'INVALIDJOB',
          'Bulk queries do not support child relationship subqueries'
        );
      flatten(value, `${prefix}${key}.`, out);
    } else {
      out[`${prefix}${key}`] = scalarText(value);
    }
  }
  return out;
}

/** The CSV columns of a query: its SELECT list, parent fields as dotted paths (Account.Name). */
function queryHeader(ctx: OrgContext, soql: string): string[] {
  const description = describeQueryColumns(ctx.registry, soql);
  // REST queries return compound fields as structured values; Bulk API 2.0 refuses them.
  const compound = description.columnMetadata.find(
    (column) => column.apexType === 'Address' || column.apexType === 'Location'
  );
  if (compound)
    throw new ApiError(
      400,
      'FUNCTIONALITY_NOT_ENABLED',
      `Selecting compound data not supported in Bulk Query: ${compound.columnName}`
    );
  const paths = (columns: readonly QueryColumn[], prefix: string): string[] =>
    columns.flatMap((column) =>
      column.joinColumns.length > 0
        ? paths(column.joinColumns, `${prefix}${column.columnName}.`)
        : [`${prefix}${column.columnName}`]
    );
  return paths(description.columnMetadata, '');
}

export const createQueryJob: Handler = (ctx, req) => {
  const body = jsonObjectBody(req);
  const operation = scalarText(body.operation ?? 'query');
  if (operation !== 'query' && operation !== 'queryAll')
    throw new ApiError(400, 'INVALIDJOB', `Invalid operation: ${operation}`);
  if (typeof body.query !== 'string')
    throw new ApiError(400, 'INVALIDJOB', 'query is required');
  const dialect = csvFormatOf(body);
  const result = runSoql(ctx, body.query, {
    includeDeleted: operation === 'queryAll'
  });
  // The header comes from the query, never from a row: a first row without a parent
  // (Account null) must not name the column 'Account' and lose every Account.Name after it.
  const header = queryHeader(ctx, body.query);
  const flat = result.records.map((r) => flatten(r));
  const info: QueryJob['info'] = {
    ...newJobInfo(ctx, operation, ''),
    query: body.query,
    columnDelimiter: dialect.columnDelimiter,
    lineEnding: dialect.lineEnding
  };
  Reflect.deleteProperty(info, 'object'); // query jobs have no object
  const job: QueryJob = {
    kind: 'query',
    info,
    header,
    format: dialect.format,
    rows: flat.map((r) => header.map((h) => r[h] ?? ''))
  };
  jobs(ctx).set(info.id, job);
  addDaily(ctx.db, BULK_QUERY_JOBS, ctx.now());
  addDaily(
    ctx.db,
    BULK_QUERY_BYTES,
    ctx.now(),
    job.rows.reduce((bytes, row) => bytes + row.join(',').length + 1, 0)
  );
  job.info.state = 'UploadComplete';
  const response = json(200, { ...job.info });
  Object.assign(job.info, {
    state: 'JobComplete',
    numberRecordsProcessed: job.rows.length,
    retries: 0,
    totalProcessingTime: 0
  });
  return response;
};

export const getQueryJob: Handler = (ctx, _req, [id = '']) =>
  json(200, findJob(ctx, id, 'query').info);

export const abortQueryJob: Handler = (ctx, req, [id = '']) => {
  const job = findJob(ctx, id, 'query');
  if (jsonObjectBody(req).state !== 'Aborted')
    throw new ApiError(
      400,
      'INVALIDJOBSTATE',
      'Only Aborted can be set on a query job'
    );
  if (job.info.state !== 'JobComplete') job.info.state = 'Aborted';
  return json(200, job.info);
};

/** Pages of query results: Sforce-Locator names the next page, the text 'null' after the last. */
export const queryResults: Handler = (ctx, req, [id = '']) => {
  const job = completed(ctx, id, 'query');
  const offset = Number(req.query.get('locator') ?? '0');
  const maxRecords = Math.max(
    1,
    Number(req.query.get('maxRecords') ?? '50000')
  );
  if (!Number.isInteger(offset) || offset < 0)
    throw new ApiError(400, 'INVALID_LOCATOR', 'invalid locator');
  const rows = job.rows.slice(offset, offset + maxRecords);
  const next = offset + rows.length;
  return {
    status: 200,
    contentType: 'text/csv',
    body:
      job.header.length === 0 ? '' : toCsv([job.header, ...rows], job.format),
    headers: {
      'Sforce-Locator': next < job.rows.length ? String(next) : 'null',
      'Sforce-NumberOfRecords': String(rows.length)
    }
  };
};

export const listJobs: Handler = (ctx) =>
  json(200, {
    done: true,
    records: [...jobs(ctx).values()].map((j) => j.info),
    nextRecordsUrl: null
  });
