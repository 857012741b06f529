/** Decoding of SOQL string literals and Salesforce record ids. */
import { checksumSuffix } from '../ids.ts';
import { invalidOperator, malformed } from './errors.ts';

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\'
};

/**
 * The value of a quoted SOQL string literal as the parser returns it (quotes included).
 * With `forLike`, the result is a SQL LIKE pattern with '\' as escape character: SOQL's \% and
 * \_ stay literal, a literal backslash is escaped.
 */
export function decodeString(raw: string, forLike = false): string {
  if (raw.length < 2 || !raw.startsWith("'") || !raw.endsWith("'"))
    throw malformed(`expected a quoted string: ${raw}`);
  const body = raw.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body.charAt(i);
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = body.charAt(i + 1);
    i++;
    if (next === '%' || next === '_') {
      out += forLike ? `\\${next}` : next;
    } else if (
      next === 'u' &&
      /^[0-9a-fA-F]{4}$/.test(body.slice(i + 1, i + 5))
    ) {
      out += escapeForLike(
        String.fromCharCode(parseInt(body.slice(i + 1, i + 5), 16)),
        forLike
      );
      i += 4;
    } else if (next in SIMPLE_ESCAPES) {
      out += escapeForLike(SIMPLE_ESCAPES[next] ?? '', forLike);
    } else {
      throw malformed(
        `Invalid string literal ${raw}. Illegal character sequence '\\${next}' in string literal.`
      );
    }
  }
  return out;
}

function escapeForLike(text: string, forLike: boolean): string {
  return forLike && text === '\\' ? '\\\\' : text;
}

/**
 * The 18-character form of a 15- or 18-character id (the suffix encodes the letter case). An
 * 18-character id gets the suffix its first 15 characters encode, whatever suffix it had.
 */
export function toId18(id: string): string {
  if (!/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(id))
    throw invalidOperator(`invalid ID field: ${id}`);
  const base = id.slice(0, 15);
  return base + checksumSuffix(base);
}

/** Case folding used for Salesforce's case-insensitive text comparisons. */
export function fold(text: string): string {
  return text.toLowerCase();
}

export function isAscii(text: string): boolean {
  return /^[\x00-\x7f]*$/.test(text);
}
