/** A defect a metadata check found, reported as `file: message [check]`. */
export interface Problem {
  check: string;
  file: string;
  message: string;
}

export function formatProblem(problem: Problem): string {
  return `${problem.file}: ${problem.message} [${problem.check}]`;
}
