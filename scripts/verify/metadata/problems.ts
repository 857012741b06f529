import { ForceAppSourceError } from '../../schema/force-app-source.ts';
import { displayPath, type SfdxProject } from './project.ts';

/** A defect a metadata check found, reported as `file: message [check]`. */
export interface Problem {
  check: string;
  file: string;
  message: string;
}

export function formatProblem(problem: Problem): string {
  return `${problem.file}: ${problem.message} [${problem.check}]`;
}

/** Records one problem a check found in a file. */
export type Report = (file: string, message: string) => void;

/** A Report that adds to `problems`, naming the file as the user would type it. */
export function reportInto(
  problems: Problem[],
  project: SfdxProject,
  check: string
): Report {
  return (file, message) => {
    problems.push({ check, file: displayPath(project, file), message });
  };
}

/**
 * Reads force-app source for a check. Source the reader cannot make sense of is a problem of
 * the check: it is reported against its file and the result is undefined. Other errors are bugs
 * and propagate.
 */
export function readSource<T>(read: () => T, report: Report): T | undefined {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ForceAppSourceError)) throw error;
    report(error.file, error.detail);
    return undefined;
  }
}
