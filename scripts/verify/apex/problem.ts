/** One finding of an Apex check, printed as `file:line[:column] [rule] message`. */
export interface Problem {
  file: string;
  line: number;
  column?: number;
  rule: string;
  message: string;
}

export function formatProblem(problem: Problem): string {
  const column = problem.column === undefined ? '' : `:${problem.column}`;
  return `${problem.file}:${problem.line}${column} [${problem.rule}] ${problem.message}`;
}

export function byLocation(a: Problem, b: Problem): number {
  return (
    a.file.localeCompare(b.file) ||
    a.line - b.line ||
    (a.column ?? 0) - (b.column ?? 0)
  );
}
