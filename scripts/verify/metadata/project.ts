/**
 * The Salesforce DX project a check looks at: its package directories, source API version and
 * the source files the Salesforce CLI would deploy (.forceignore applied, tests left out).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ForceIgnore } from '@salesforce/source-deploy-retrieve';

export interface SfdxProject {
  root: string;
  packageDirs: string[];
  sourceApiVersion: string | null;
  forceIgnore: ForceIgnore;
}

export class ProjectError extends Error {}

interface SfdxProjectJson {
  packageDirectories?: { path?: unknown }[];
  sourceApiVersion?: unknown;
}

export function readProject(rootDir: string): SfdxProject {
  const root = resolve(rootDir);
  const file = join(root, 'sfdx-project.json');
  let json: SfdxProjectJson;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as SfdxProjectJson;
  } catch (error) {
    throw new ProjectError(
      `${file}: cannot read the project file (${String(error)})`
    );
  }
  const packageDirs = (json.packageDirectories ?? []).map((dir) => {
    if (typeof dir.path !== 'string') {
      throw new ProjectError(
        `${file}: every packageDirectories entry needs a "path"`
      );
    }
    return join(root, dir.path);
  });
  if (packageDirs.length === 0) {
    throw new ProjectError(`${file}: no packageDirectories`);
  }
  return {
    root,
    packageDirs,
    sourceApiVersion:
      typeof json.sourceApiVersion === 'string' ? json.sourceApiVersion : null,
    forceIgnore: new ForceIgnore(join(root, '.forceignore'))
  };
}

/** Tests live beside the source but are never deployed, whatever .forceignore says. */
function isTestPath(path: string): boolean {
  return path.split(/[\\/]/).includes('__tests__');
}

/** Every file under the package directories that a deploy is expected to carry. */
export function listSourceFiles(project: SfdxProject): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (isTestPath(path) || project.forceIgnore.denies(path)) continue;
      if (statSync(path).isDirectory()) walk(path);
      else files.push(path);
    }
  };
  for (const dir of project.packageDirs) walk(dir);
  return files;
}

export function listXmlFiles(project: SfdxProject): string[] {
  return listSourceFiles(project).filter((file) => file.endsWith('.xml'));
}

/** Paths in messages are relative to the project root, as a user would type them. */
export function displayPath(project: SfdxProject, file: string): string {
  return relative(project.root, file) || file;
}
