/**
 * The deploy package builds from source and carries every source file. The converter drops a
 * class without its -meta.xml (and any file it does not recognise) without a word, so the
 * files it consumed are compared with the files on disk.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ComponentSet,
  MetadataConverter,
  type SourceComponent
} from '@salesforce/source-deploy-retrieve';
import type { Problem } from './problems.ts';
import { displayPath, listSourceFiles, type SfdxProject } from './project.ts';

const CHECK = 'deploy-package';

/** The files a component stands for: its -meta.xml, its content and its children's files. */
function consumedFiles(component: SourceComponent): string[] {
  const files: string[] = [];
  if (component.xml) files.push(component.xml);
  const children = component.getChildren();
  // Decomposed types (custom objects) own their child files only through the children;
  // walking their folder would also claim files no child was made from.
  if (component.type.children === undefined && component.content) {
    files.push(...component.walkContent());
  }
  for (const child of children) files.push(...consumedFiles(child));
  return files;
}

/** "/path/x.cls-meta.xml: Expected source files..." names the file first; keep it as the file. */
function problemFromError(project: SfdxProject, error: unknown): Problem {
  const message = error instanceof Error ? error.message : String(error);
  const match = /^(\/[^:]+?):\s*(.*)$/s.exec(message);
  return match?.[1] && match[2]
    ? { check: CHECK, file: displayPath(project, match[1]), message: match[2] }
    : {
        check: CHECK,
        file: 'sfdx-project.json',
        message: `deploy package does not build: ${message}`
      };
}

export async function checkDeployPackage(
  project: SfdxProject
): Promise<Problem[]> {
  let components: ComponentSet;
  try {
    components = ComponentSet.fromSource({ fsPaths: project.packageDirs });
  } catch (error) {
    return [problemFromError(project, error)];
  }
  const outputDirectory = mkdtempSync(join(tmpdir(), 'deploy-package-'));
  try {
    if (components.size === 0) {
      return [
        {
          check: CHECK,
          file: 'sfdx-project.json',
          message: 'the deploy package is empty'
        }
      ];
    }
    await new MetadataConverter().convert(components, 'metadata', {
      type: 'directory',
      outputDirectory,
      genUniqueDir: false
    });
    if (!existsSync(join(outputDirectory, 'package.xml'))) {
      return [
        {
          check: CHECK,
          file: 'sfdx-project.json',
          message: 'conversion wrote no package.xml'
        }
      ];
    }
  } catch (error) {
    return [problemFromError(project, error)];
  } finally {
    rmSync(outputDirectory, { recursive: true, force: true });
  }

  const consumed = new Set(
    components.getSourceComponents().toArray().flatMap(consumedFiles)
  );
  return listSourceFiles(project)
    .filter((file) => !consumed.has(file))
    .map((file) => ({
      check: CHECK,
      file: displayPath(project, file),
      message:
        file.endsWith('.cls') || file.endsWith('.trigger')
          ? `not in the deploy package: ${file.endsWith('.cls') ? 'a class' : 'a trigger'} needs its -meta.xml beside it`
          : 'not in the deploy package: the converter does not recognise this file as metadata'
    }));
}
