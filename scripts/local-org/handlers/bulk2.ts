/**
 * Bulk API 2.0 ingest and query jobs, as jsforce's bulk2 drives them. Jobs live in memory
 * (a restart forgets them, as an expired job would be). An ingest job is processed when it
 * is closed (UploadComplete); each row is its own savepoint, so one bad row fails alone.
 * CSV conventions: an empty cell leaves the field unset, '#N/A' sets it to null.
 *
 * Uploads, ingest result lines and query result lines live in the scratch database of
 * bulk2-store.ts, never as whole strings in memory: an upload is stored in pieces as its bytes
 * arrive (the server streams it there), parsed piece by piece and written in chunks, and result
 * files are sent a page of lines at a time, so memory does not grow with the row count.
 */
import type { Database } from 'better-sqlite3';
import { Parser } from 'csv-parse';
import { API_VERSION, perOrg, type OrgContext } from '../context.ts';
import {
  createRecord,
  deleteRecord,
  objectOrThrow,
  updateRecord,
  upsertRecord
} from '../dml.ts';
import { ApiError, missingId } from '../errors.ts';
import { inSaveBatch } from '../save-batch.ts';
import { inWriteScope, isolated, prefetchLookups } from '../write-scope.ts';
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
import { openSoql } from '../soql/index.ts';
import { withApiErrors } from './query.ts';
import {
  dropLines,
  dropSpool,
  LineWriter,
  linePieces,
  slices,
  spoolPieces,
  spoolText
} from './bulk2-store.ts';

/**
 * Result CSVs quote every value, as Salesforce's do: jsforce splits unquoted lines on any of
 * `, ; | ^ \`` and tab, so one unquoted semicolon in a value would garble the whole result.
 * An empty value stays empty (unquoted), and a quote inside a value is doubled: what
 * csv-stringify's `quoted` writes, without its per-call setup, which cost more than the line
 * itself at one call per result row.
 */
function toCsv(
  rows: readonly (readonly string[])[],
  format: CsvFormat = DEFAULT_FORMAT
): string {
  let text = '';
  for (const row of rows) {
    text += row
      .map((value) => (value === '' ? '' : `"${value.replaceAll('"', '""')}"`))
      .join(format.delimiter);
    text += format.lineEnding;
  }
  return text;
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
  /** The stored uploads (PUTs of job data), as spool ids in upload order. */
  spools: number[];
  format: CsvFormat;
  /** The CSV header the results repeat (set when the job is processed). */
  header: string[];
}

interface QueryJob {
  kind: 'query';
  info: Record<string, unknown> & { id: string; state: string };
  /** Result rows, stored as CSV lines (kind 'query') in the scratch database. */
  rowCount: number;
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
    spools: [],
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
  // The server stores an upload's bytes as they arrive; a body given whole is stored here.
  const spooled = req.spooled;
  if (spooled) {
    spooled.claimed = true;
    job.spools.push(spooled.id);
  } else job.spools.push(spoolText(ctx.db, req.body));
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
  const job = jobs(ctx).get(id);
  if (!job) throw jobNotFound(id);
  jobs(ctx).delete(id);
  dropStored(ctx.db, job);
  return json(204);
};

/** Rows written per transaction and write scope (inWriteScope): the rows held in memory at a time. */
const CHUNK_ROWS = 2_000;
/** Rows saved together, as the platform's triggers see a Bulk job's rows. */
const TRIGGER_ROWS = 200;

function dropStored(db: Database, job: Job): void {
  if (job.kind === 'ingest')
    for (const spool of job.spools) dropSpool(db, spool);
  dropLines(db, job.info.id);
}

type ResultKind = 'successful' | 'failed';

/** A result file, sent a page of stored lines at a time after its header line. */
function* resultCsv(
  db: Database,
  job: IngestJob,
  kind: ResultKind | 'unprocessed'
): Generator<string> {
  const first =
    kind === 'successful'
      ? ['sf__Id', 'sf__Created']
      : kind === 'failed'
        ? ['sf__Id', 'sf__Error']
        : [];
  yield toCsv([[...first, ...job.header]], job.format);
  if (kind !== 'unprocessed') yield* linePieces(db, job.info.id, kind);
}

/** Characters handed to the CSV parser at a time. */
const PARSE_SLICE_CHARS = 1 << 14;

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
  // A piece goes to the parser in slices: the parser queues every record of a write, and each
  // read takes the first off that queue at a cost that grows with it, so a 1 MB write (7,000
  // rows) parsed several times slower than the same text in 16 KB writes.
  for (const piece of pieces)
    for (const slice of slices(piece, PARSE_SLICE_CHARS)) {
      parser.write(slice);
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

/** A data row of a job: the record it writes and its cells, repeated in its result line. */
interface JobRow {
  record: Record<string, unknown>;
  cells: string[];
}

/** A row's result line, in the successful or the failed results. */
interface RowResult {
  ok: boolean;
  line: string;
}

/** A CSV row as the record it writes: an empty cell leaves the field unset, '#N/A' sets null. */
function recordOf(
  header: readonly string[],
  cells: readonly string[]
): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  header.forEach((name, i) => {
    const cell = cells[i] ?? '';
    if (cell !== '') record[name] = cell === '#N/A' ? null : cell;
  });
  return record;
}

function process(ctx: OrgContext, job: IngestJob): void {
  const started = Date.now();
  const storedUploads = function* (): Generator<Generator<string>> {
    for (const spool of job.spools) yield spoolPieces(ctx.db, spool);
  };
  // A first pass checks the whole CSV, so a malformed upload fails the job with nothing
  // written. It keeps the rows it read, a chunk at a time, as JSON in the scratch store, and
  // the second pass reads them back with JSON.parse: parsing the CSV again cost a fifth of
  // the job. (One pass in one job-wide transaction would need neither, but held the whole
  // job's writes uncommitted: the org's memory grew with the rows.)
  const parsed: number[] = [];
  const dropParsed = (): void => {
    for (const id of parsed.splice(0)) dropSpool(ctx.db, id);
  };
  try {
    let chunk: string[][] = [];
    const keep = (): void => {
      parsed.push(spoolText(ctx.db, JSON.stringify(chunk)));
      chunk = [];
    };
    for (const cells of uploadRecords(storedUploads(), job.format, (h) => {
      job.header = h;
    })) {
      chunk.push(cells);
      if (chunk.length === CHUNK_ROWS) keep();
    }
    if (chunk.length > 0) keep();
  } catch (error) {
    dropParsed();
    job.info.state = 'Failed';
    job.info.errorMessage =
      error instanceof Error ? error.message : String(error);
    return;
  }
  const operation = job.info.operation;
  const object = objectOrThrow(ctx, job.info.object);
  const extField =
    typeof job.info.externalIdFieldName === 'string'
      ? job.info.externalIdFieldName
      : '';
  let processed = 0;
  const successful = new LineWriter(ctx.db, job.info.id, 'successful');
  const failed = new LineWriter(ctx.db, job.info.id, 'failed');
  const written = (row: JobRow): RowResult => {
    const result = writeRow(
      ctx,
      job.info.object,
      operation,
      extField,
      row.record
    );
    return {
      ok: true,
      line: toCsv(
        [[result.id, result.created ? 'true' : 'false', ...row.cells]],
        job.format
      )
    };
  };
  const failure = (row: JobRow, error: ApiError): RowResult => {
    const fields =
      error.fields && error.fields.length > 0
        ? `:${error.fields.join(',')}`
        : '';
    return {
      ok: false,
      line: toCsv(
        [
          [
            scalarText(row.record.Id),
            // The platform ends each error with ' --' (several would be joined by it).
            `${error.errorCode}:${error.message}${fields} --`,
            ...row.cells
          ]
        ],
        job.format
      )
    };
  };
  // A row in a savepoint of its own: a failed row is undone alone.
  const writtenAlone = isolated(ctx, written);
  const rowResult = (row: JobRow): RowResult => {
    try {
      return writtenAlone(row);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return failure(row, error);
    }
  };
  // TRIGGER_ROWS rows are one save, as the platform runs triggers on a Bulk job's rows in
  // chunks of 200: the after-save automation writes what they derive (timeline events) in one
  // statement. The save is tried first as one savepoint (a savepoint per row cost a fifth of
  // the job); when any of its rows fails, it is undone and saved again with a savepoint per
  // row, so the bad row fails alone, with the same numbers handed out again; when the save's
  // automation fails, its rows are saved one by one, as when every row was its own save.
  const allTogether = isolated(ctx, (rows: readonly JobRow[]) =>
    inSaveBatch(ctx, () => rows.map(written))
  );
  const eachInItsSavepoint = isolated(ctx, (rows: readonly JobRow[]) =>
    inSaveBatch(ctx, () => rows.map(rowResult))
  );
  /** Whether the last save had a failed row: then the next skips the all-together try. */
  let lastFailed = false;
  const save = (rows: readonly JobRow[]): RowResult[] => {
    if (!lastFailed)
      try {
        return allTogether(rows);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
      }
    try {
      const results = eachInItsSavepoint(rows);
      lastFailed = results.some((result) => !result.ok);
      return results;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
    lastFailed = true;
    return rows.map(rowResult);
  };
  // A chunk is one write scope: its lookups and keys are read ahead in one query each, its
  // ids and autonumbers handed out in memory; the rows in hand never outgrow one chunk.
  const writeChunk = (chunk: string[][]): void => {
    const rows = chunk.map((cells) => ({
      record: recordOf(job.header, cells),
      cells
    }));
    inWriteScope(ctx, () => {
      if (operation !== 'delete' && operation !== 'hardDelete')
        prefetchLookups(
          ctx,
          object,
          rows.map((row) => row.record)
        );
      for (let at = 0; at < rows.length; at += TRIGGER_ROWS)
        for (const { ok, line } of save(rows.slice(at, at + TRIGGER_ROWS)))
          (ok ? successful : failed).push(line);
    });
  };
  // CHUNK_ROWS rows a transaction.
  const commitChunk = ctx.db.transaction(writeChunk);
  try {
    for (let id = parsed.shift(); id !== undefined; id = parsed.shift()) {
      const chunk = JSON.parse(
        [...spoolPieces(ctx.db, id)].join('')
      ) as string[][];
      dropSpool(ctx.db, id);
      processed += chunk.length;
      commitChunk(chunk);
    }
  } finally {
    // Only when a write failed unexpectedly (a bug): the chunks it did not reach.
    dropParsed();
  }
  for (const spool of job.spools) dropSpool(ctx.db, spool);
  job.spools = [];
  addDaily(
    ctx.db,
    BULK_BATCHES,
    ctx.now(),
    Math.max(1, Math.ceil(processed / 10_000))
  );
  Object.assign(job.info, {
    state: 'JobComplete',
    numberRecordsProcessed: processed,
    numberRecordsFailed: failed.count,
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

const csv = (pieces: Iterable<string>): ApiResponse => ({
  status: 200,
  pieces,
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
  const soql = body.query;
  const cursor = withApiErrors(() =>
    openSoql(ctx.db, ctx.registry, soql, {
      apiVersion: API_VERSION,
      now: ctx.now(),
      timeZone: ctx.timeZone,
      includeDeleted: operation === 'queryAll'
    })
  );
  // The header comes from the query, never from a row: a first row without a parent
  // (Account null) must not name the column 'Account' and lose every Account.Name after it.
  const header = queryHeader(ctx, soql);
  const info: QueryJob['info'] = {
    ...newJobInfo(ctx, operation, ''),
    query: body.query,
    columnDelimiter: dialect.columnDelimiter,
    lineEnding: dialect.lineEnding
  };
  Reflect.deleteProperty(info, 'object'); // query jobs have no object
  // The results are taken now, a page of the cursor at a time, into stored CSV lines: the
  // job's snapshot, which its result pages are then read from.
  const lines = new LineWriter(ctx.db, info.id, 'query');
  let bytes = 0;
  for (let offset = 0; ; offset += CHUNK_ROWS) {
    const records = withApiErrors(() => cursor.read(offset, CHUNK_ROWS));
    for (const record of records) {
      const flat = flatten(record);
      const row = header.map((h) => flat[h] ?? '');
      bytes += row.join(',').length + 1;
      lines.push(toCsv([row], dialect.format));
    }
    if (records.length < CHUNK_ROWS) break;
  }
  const job: QueryJob = {
    kind: 'query',
    info,
    header,
    format: dialect.format,
    rowCount: lines.count
  };
  jobs(ctx).set(info.id, job);
  addDaily(ctx.db, BULK_QUERY_JOBS, ctx.now());
  addDaily(ctx.db, BULK_QUERY_BYTES, ctx.now(), bytes);
  job.info.state = 'UploadComplete';
  const response = json(200, { ...job.info });
  Object.assign(job.info, {
    state: 'JobComplete',
    numberRecordsProcessed: job.rowCount,
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
  const count = Math.max(0, Math.min(maxRecords, job.rowCount - offset));
  const next = offset + count;
  const pieces = function* (): Generator<string> {
    if (job.header.length === 0) return;
    yield toCsv([job.header], job.format);
    if (count > 0)
      yield* linePieces(ctx.db, job.info.id, 'query', offset, count);
  };
  return {
    status: 200,
    contentType: 'text/csv',
    pieces: pieces(),
    headers: {
      'Sforce-Locator': next < job.rowCount ? String(next) : 'null',
      'Sforce-NumberOfRecords': String(count)
    }
  };
};

export const listJobs: Handler = (ctx) =>
  json(200, {
    done: true,
    records: [...jobs(ctx).values()].map((j) => j.info),
    nextRecordsUrl: null
  });
