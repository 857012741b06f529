/** SOQL text helpers the commands share. */

/** A SOQL string literal: quoted, with backslashes and quotes escaped. */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A SOQL IN list, e.g. ('a','b'); the values are quoted and escaped. */
export function soqlList(values: Iterable<string>): string {
  return `(${[...values].map(soqlString).join(',')})`;
}
