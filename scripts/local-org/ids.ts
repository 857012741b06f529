/**
 * Salesforce record ids: 3-character key prefix + 12 base-62 characters (15, case-sensitive),
 * plus a 3-character suffix that encodes the case of the first 15 (18, case-insensitive).
 */
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

export function checksumSuffix(id15: string): string {
  let suffix = '';
  for (let block = 0; block < 3; block++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(block * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_CHARS.charAt(bits);
  }
  return suffix;
}

const ID_SHAPE = /^[a-zA-Z0-9]{15}(?:[A-Z0-5]{3})?$/;

/**
 * The canonical 18-character id, or undefined when the text is not an id: wrong length or
 * characters, or an 18-character id whose suffix does not match its first 15 characters.
 */
export function normalizeId(text: string): string | undefined {
  if (!ID_SHAPE.test(text)) return undefined;
  const id15 = text.slice(0, 15);
  const id18 = id15 + checksumSuffix(id15);
  if (text.length === 18 && text.toUpperCase() !== id18.toUpperCase())
    return undefined;
  return id18;
}

/** Id number n (≥ 1) for a key prefix, as the 18-character form. */
export function makeId(keyPrefix: string, n: number): string {
  let body = '';
  let rest = n;
  while (rest > 0) {
    body = BASE62.charAt(rest % 62) + body;
    rest = Math.floor(rest / 62);
  }
  // The 4th-6th characters are the instance/pod on the platform; '8d0' keeps our ids recognisable.
  const id15 = keyPrefix + '8d0' + body.padStart(9, '0');
  if (id15.length !== 15)
    throw new RangeError(
      `id number ${String(n)} too large for prefix ${keyPrefix}`
    );
  return id15 + checksumSuffix(id15);
}
