/**
 * Bulk API 2.0's scratch storage: job uploads (stored in pieces as their bytes arrive), ingest
 * result lines and query result lines, in a SQLite database attached to the org's connection
 * as `bulk2`. It is a file beside the org's database (in the OS temp folder for an in-memory
 * org), emptied when the org starts and removed when it stops: jobs live in memory, so their
 * scratch data never has to outlive the process.
 *
 * Why a file of its own: the org sets temp_store = MEMORY (each record's savepoint would
 * otherwise spill its statement journal to disk), which also keeps TEMP tables in memory, so
 * uploads and results kept there grew the process with the row count. The attached file has
 * SQLite's own bounded page cache, and needs no durability (journal in memory, no syncs).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { Database, Statement } from 'better-sqlite3';
import { ApiError } from '../errors.ts';
import type { SpooledBody } from '../http-types.ts';

/** Characters per stored piece: small enough that one piece never weighs on memory. */
export const PIECE_CHARS = 1 << 20;

export class BodyTooLarge extends ApiError {
  constructor(limit: number) {
    super(
      413,
      'REQUEST_ENTITY_TOO_LARGE',
      `Request body exceeds ${String(limit)} bytes`
    );
  }
}

interface Statements {
  addPiece: Statement;
  piece: Statement;
  dropSpool: Statement;
  addLine: Statement;
  linePage: Statement;
  dropLines: Statement;
  nextSpool: number;
}

const statements = new WeakMap<Database, Statements>();

function store(db: Database): Statements {
  const found = statements.get(db);
  if (found) return found;
  throw new Error(
    'the Bulk API 2.0 store is not attached (attachBulkStore at org start)'
  );
}

/**
 * Attaches the scratch database to the org's connection (outside any transaction: SQLite
 * cannot attach inside one). Returns what the org calls when it stops, before closing `db`.
 */
export function attachBulkStore(db: Database): () => void {
  const inMemory = db.memory || db.name === '' || db.name === ':memory:';
  const dir = inMemory
    ? mkdtempSync(path.join(tmpdir(), 'local-org-bulk2-'))
    : undefined;
  const file = dir ? path.join(dir, 'bulk2.db') : `${db.name}-bulk2`;
  // A file left by an org that was killed holds jobs nobody can reach: start empty.
  removeFiles(file);
  db.prepare('ATTACH DATABASE ? AS bulk2').run(file);
  db.pragma('bulk2.journal_mode = MEMORY');
  db.pragma('bulk2.synchronous = OFF');
  db.exec(`CREATE TABLE IF NOT EXISTS bulk2.piece (
      spool INTEGER NOT NULL, seq INTEGER NOT NULL, text TEXT NOT NULL,
      PRIMARY KEY (spool, seq));
    CREATE TABLE IF NOT EXISTS bulk2.line (
      owner TEXT NOT NULL, kind TEXT NOT NULL, seq INTEGER NOT NULL, line TEXT NOT NULL,
      PRIMARY KEY (owner, kind, seq))`);
  statements.set(db, {
    addPiece: db.prepare(
      'INSERT INTO bulk2.piece (spool, seq, text) VALUES (?, ?, ?)'
    ),
    piece: db
      .prepare('SELECT text FROM bulk2.piece WHERE spool = ? AND seq = ?')
      .pluck(true),
    dropSpool: db.prepare('DELETE FROM bulk2.piece WHERE spool = ?'),
    addLine: db.prepare(
      'INSERT INTO bulk2.line (owner, kind, seq, line) VALUES (?, ?, ?, ?)'
    ),
    linePage: db
      .prepare(
        'SELECT line FROM bulk2.line WHERE owner = ? AND kind = ? AND seq >= ? AND seq < ? ORDER BY seq'
      )
      .pluck(true),
    dropLines: db.prepare('DELETE FROM bulk2.line WHERE owner = ?'),
    nextSpool: 1
  });
  return () => {
    statements.delete(db);
    if (db.open) db.exec('DETACH DATABASE bulk2');
    if (dir) rmSync(dir, { recursive: true, force: true });
    else removeFiles(file);
  };
}

function removeFiles(file: string): void {
  for (const suffix of ['', '-journal'])
    rmSync(`${file}${suffix}`, { force: true });
}

/**
 * Where to cut `text` near `at` without splitting a character: a JavaScript string counts
 * UTF-16 units, and a character outside the BMP (an emoji) is two of them; each half alone
 * would be encoded as U+FFFD.
 */
function cutAt(text: string, at: number): number {
  if (at <= 0 || at >= text.length)
    return Math.min(Math.max(at, 0), text.length);
  const unit = text.charCodeAt(at - 1);
  return unit >= 0xd800 && unit <= 0xdbff ? at - 1 : at;
}

/** `text` in slices of about `size` units, none splitting a character. */
export function* slices(text: string, size: number): Generator<string> {
  for (let at = 0; at < text.length;) {
    const cut = Math.max(cutAt(text, at + size), at + 1);
    yield text.slice(at, cut);
    at = cut;
  }
}

/** Writes text into a new spool a piece at a time, holding at most one piece. */
class PieceWriter {
  readonly id: number;
  private pending = '';
  private seq = 0;
  constructor(private readonly db: Database) {
    const s = store(db);
    this.id = s.nextSpool++;
  }
  write(text: string): void {
    this.pending += text;
    while (this.pending.length >= PIECE_CHARS) {
      const cut = cutAt(this.pending, PIECE_CHARS);
      this.flush(this.pending.slice(0, cut));
      this.pending = this.pending.slice(cut);
    }
  }
  end(): void {
    if (this.pending !== '') this.flush(this.pending);
    this.pending = '';
  }
  private flush(piece: string): void {
    store(this.db).addPiece.run(this.id, this.seq++, piece);
  }
}

/**
 * Stores a request body as its bytes arrive, one piece in hand at most: each chunk is stored
 * synchronously in its 'data' event, so the socket is not read meanwhile and a fast client
 * waits on TCP backpressure instead of filling memory. Over `limit` bytes it answers 413 at
 * once, keeps nothing and discards the rest of the body as it comes.
 */
export function spoolBody(
  db: Database,
  body: Readable,
  limit: number
): Promise<SpooledBody> {
  const writer = new PieceWriter(db);
  // Multi-byte characters may straddle chunks; the decoder holds their first bytes back.
  const decoder = new StringDecoder('utf8');
  let bytes = 0;
  return new Promise((resolve, reject) => {
    const fail = (error: unknown): void => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.resume();
      dropSpool(db, writer.id);
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      try {
        if (bytes > limit) throw new BodyTooLarge(limit);
        writer.write(decoder.write(chunk));
      } catch (error) {
        fail(error);
      }
    };
    const onEnd = (): void => {
      try {
        writer.write(decoder.end());
        writer.end();
        resolve({ id: writer.id, bytes, claimed: false });
      } catch (error) {
        fail(error);
      }
    };
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', fail);
  });
}

/** Stores a body already held whole (a caller that was given it as a string). */
export function spoolText(db: Database, text: string): number {
  const writer = new PieceWriter(db);
  writer.write(text);
  writer.end();
  return writer.id;
}

/** A spool's text, a piece at a time (one keyed read each: no cursor held open). */
export function* spoolPieces(db: Database, id: number): Generator<string> {
  const { piece } = store(db);
  for (let seq = 0; ; seq++) {
    const text = piece.get(id, seq) as string | undefined;
    if (text === undefined) return;
    yield text;
  }
}

export function dropSpool(db: Database, id: number): void {
  // The org may have stopped (its store detached) while a body was still arriving.
  statements.get(db)?.dropSpool.run(id);
}

/** Numbered lines of one owner (a job) and kind, appended in order. */
export class LineWriter {
  count = 0;
  private readonly add: Statement;
  constructor(
    db: Database,
    private readonly owner: string,
    private readonly kind: string
  ) {
    this.add = store(db).addLine;
  }
  push(line: string): void {
    this.add.run(this.owner, this.kind, this.count++, line);
  }
}

/** Lines read per query when a file is sent: one page in hand at a time. */
const LINES_PER_READ = 2_000;

/**
 * Lines [from, from + count) of an owner's kind, one page of reads at a time, each page joined
 * into one piece. Keyed reads only, so other requests may run between two pieces.
 */
export function* linePieces(
  db: Database,
  owner: string,
  kind: string,
  from = 0,
  count = Number.MAX_SAFE_INTEGER
): Generator<string> {
  const { linePage } = store(db);
  const end = from + count;
  for (let at = from; at < end; at += LINES_PER_READ) {
    const lines = linePage.all(
      owner,
      kind,
      at,
      Math.min(end, at + LINES_PER_READ)
    ) as string[];
    if (lines.length === 0) return;
    yield lines.join('');
    if (lines.length < Math.min(LINES_PER_READ, end - at)) return;
  }
}

export function dropLines(db: Database, owner: string): void {
  statements.get(db)?.dropLines.run(owner);
}
