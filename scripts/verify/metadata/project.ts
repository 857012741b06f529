/**
 * The Salesforce DX project a check looks at: its package directories, source API version and
 * the source files the Salesforce CLI would deploy (.forceignore applied, tests left out).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ForceIgnore } from '@salesforce/source-deploy-retrieve';
import { findDirectories } from '../../schema/force-app-source.ts';

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

/**
 * The entries of every `<folder>` directory of a package (folders nest, e.g. main/default/classes)
 * that `pick` turns into a [name, file] pair, by name, in name order so problems come out in a
 * stable order.
 */
function folderEntries(
  packageDir: string,
  folder: string,
  pick: (dir: string, entry: string) => [string, string] | undefined
): Map<string, string> {
  const files: [string, string][] = [];
  for (const dir of findDirectories(packageDir, folder)) {
    for (const entry of readdirSync(dir)) {
      const picked = pick(dir, entry);
      if (picked) files.push(picked);
    }
  }
  return new Map(files.sort(([a], [b]) => a.localeCompare(b)));
}

/** Files `<folder>/<name><suffix>` (classes, permission sets, flexipages, ...) by name. */
export function packageFiles(
  packageDir: string,
  folder: string,
  suffix: string
): Map<string, string> {
  return folderEntries(packageDir, folder, (dir, entry) =>
    entry.endsWith(suffix)
      ? [entry.slice(0, -suffix.length), join(dir, entry)]
      : undefined
  );
}

/**
 * Bundle folders `<folder>/<name>/<name><suffix>` (LWC bundles, object definitions), by name;
 * other entries of the folder (jsconfig.json, .eslintrc, an object without its definition)
 * are left out.
 */
export function bundleFiles(
  packageDir: string,
  folder: string,
  suffix: string
): Map<string, string> {
  return folderEntries(packageDir, folder, (dir, name) => {
    const file = join(dir, name, `${name}${suffix}`);
    return existsSync(file) ? [name, file] : undefined;
  });
}

/** Paths in messages are relative to the project root, as a user would type them. */
export function displayPath(project: SfdxProject, file: string): string {
  return relative(project.root, file) || file;
}
