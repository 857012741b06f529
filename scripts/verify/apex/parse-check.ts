import type { ParsedApexFile } from './apex-parser.ts';
import type { Problem } from './problem.ts';

/** A problem for every syntax error in the parsed files. */
export function syntaxProblems(parsed: readonly ParsedApexFile[]): Problem[] {
  return parsed.flatMap(({ file, result }) =>
    result.ok
      ? []
      : result.errors.map((error) => ({
          file,
          line: error.line,
          column: error.column,
          rule: 'apex-syntax',
          message: error.message
        }))
  );
}
