/**
 * Names that one metadata file uses for another resolve: permission sets name existing classes,
 * apps, tabs and custom metadata types; apps and objects name existing tabs and override record
 * pages with a flexipage of the same object; flexipages place exposed components on objects they
 * support. The converter and the XML check pass a dangling name; the org rejects the deploy.
 *
 * Every record page force-app ships is also its object's org default (a View actionOverride of
 * type Flexipage for the Large form factor in the object's .object-meta.xml): a page assigned
 * only in an app shows only inside that app, and agents who open the record anywhere else (the
 * standard Service Console, a list view, a link) get the standard page without the console.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { readPermissionSet } from './permission-set-file.ts';
import { XMLParser } from 'fast-xml-parser';
import {
  checkEachPackage,
  type PermissionSchema
} from './permission-schema.ts';
import type { Problem } from './problems.ts';
import { bundleFiles, packageFiles, type SfdxProject } from './project.ts';

const CHECK = 'metadata-references';

type Node = Record<string, unknown>;

const REPEATED = new Set([
  'actionOverrides',
  'componentInstanceProperties',
  'flexiPageRegions',
  'itemInstances',
  'mappings',
  'object',
  'tabs',
  'target',
  'targetConfig'
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  isArray: (name) => REPEATED.has(name)
});

const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (node: Node, name: string): string => {
  const value = node[name];
  return typeof value === 'string' ? value.trim() : '';
};
const children = (node: Node, name: string): Node[] => {
  const value = node[name];
  return Array.isArray(value) ? value.filter(isNode) : [];
};
const strings = (node: Node, name: string): string[] => {
  const value = node[name];
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
};

function readRoot(file: string, root: string): Node {
  const doc = parser.parse(readFileSync(file, 'utf8')) as Node;
  const node = doc[root];
  return isNode(node) ? node : {};
}

interface PackageIndex {
  schema: PermissionSchema;
  classes: Map<string, string>;
  apps: Map<string, string>;
  tabs: Map<string, string>;
  flexipages: Map<string, string>;
  components: Map<string, string>;
  /** `objects/<Name>/<Name>.object-meta.xml` by object name. */
  objects: Map<string, string>;
}

function tabProblem(tab: string, index: PackageIndex): string | null {
  const standard = /^standard-(\w+)$/.exec(tab);
  if (standard?.[1] !== undefined) {
    const object = index.schema.object(standard[1]);
    return 'problem' in object ? `tab ${tab}: ${object.problem}` : null;
  }
  return index.tabs.has(tab) ? null : `tab ${tab} is not defined in force-app`;
}

function permissionSetProblems(file: string, index: PackageIndex): string[] {
  const set = readPermissionSet(file);
  const problems: string[] = [];
  for (const name of set.classesNamed) {
    if (!index.classes.has(name)) {
      problems.push(
        `classAccesses name ${name}, which force-app does not define`
      );
    }
  }
  for (const name of set.applications) {
    if (!name.startsWith('standard__') && !index.apps.has(name)) {
      problems.push(
        `applicationVisibilities name ${name}, which force-app does not define`
      );
    }
  }
  for (const tab of set.tabs) {
    const problem = tabProblem(tab, index);
    if (problem) problems.push(`tabSettings: ${problem}`);
  }
  for (const name of set.customMetadataTypes) {
    const object = index.schema.object(name);
    if ('problem' in object || !object.found.customMetadata) {
      problems.push(
        `customMetadataTypeAccesses name ${name}, which is not a custom metadata type in force-app`
      );
    }
  }
  return problems;
}

function flexipageProblems(file: string, index: PackageIndex): string[] {
  const page = readRoot(file, 'FlexiPage');
  const objectName = text(page, 'sobjectType');
  const problems: string[] = [];
  if (objectName) {
    const object = index.schema.object(objectName);
    if ('problem' in object) problems.push(`sobjectType: ${object.problem}`);
  }
  const recordPage = text(page, 'type') === 'RecordPage';
  for (const region of children(page, 'flexiPageRegions')) {
    for (const item of children(region, 'itemInstances')) {
      const instance = item.componentInstance;
      if (!isNode(instance)) continue;
      const name = text(instance, 'componentName');
      // Namespaced names (force:, flexipage:, lightning:) are the platform's.
      if (name.includes(':')) continue;
      const bundle = index.components.get(name);
      if (!bundle) {
        problems.push(`component ${name} is not an LWC bundle in force-app`);
        continue;
      }
      if (recordPage) {
        problems.push(...recordPageTargetProblems(name, bundle, objectName));
      }
    }
  }
  return problems;
}

/** A component on a record page must be exposed to record pages of that object. */
function recordPageTargetProblems(
  name: string,
  bundleFile: string,
  objectName: string
): string[] {
  const bundle = readRoot(bundleFile, 'LightningComponentBundle');
  const targets = isNode(bundle.targets)
    ? strings(bundle.targets, 'target')
    : [];
  if (
    text(bundle, 'isExposed') !== 'true' ||
    !targets.includes('lightning__RecordPage')
  ) {
    return [`component ${name} is not exposed to lightning__RecordPage`];
  }
  const configs = isNode(bundle.targetConfigs)
    ? children(bundle.targetConfigs, 'targetConfig')
    : [];
  const objects = configs
    .filter((config) =>
      text(config, '@_targets')
        .split(',')
        .map((target) => target.trim())
        .includes('lightning__RecordPage')
    )
    .flatMap((config) =>
      isNode(config.objects) ? strings(config.objects, 'object') : []
    );
  return objects.length > 0 && objectName && !objects.includes(objectName)
    ? [
        `component ${name} does not support ${objectName} record pages (its targetConfig lists ${objects.join(', ')})`
      ]
    : [];
}

/** A Flexipage actionOverride for `objectName` must name a record page of that object. */
function recordPageOverrideProblem(
  content: string,
  objectName: string,
  index: PackageIndex
): string | null {
  const pageFile = index.flexipages.get(content);
  if (!pageFile) {
    return `actionOverrides name flexipage ${content}, which force-app does not define`;
  }
  const page = readRoot(pageFile, 'FlexiPage');
  if (
    text(page, 'type') !== 'RecordPage' ||
    text(page, 'sobjectType') !== objectName
  ) {
    return `actionOverrides for ${objectName} use ${content}, which is not a record page of ${objectName}`;
  }
  return null;
}

/** An object's own actionOverrides: the org default pages. */
function objectProblems(file: string, index: PackageIndex): string[] {
  const objectName = basename(file).replace(/\.object-meta\.xml$/, '');
  const problems: string[] = [];
  for (const override of children(
    readRoot(file, 'CustomObject'),
    'actionOverrides'
  )) {
    if (text(override, 'type') !== 'Flexipage') continue;
    const problem = recordPageOverrideProblem(
      text(override, 'content'),
      objectName,
      index
    );
    if (problem) problems.push(problem);
  }
  return problems;
}

/** Whether the object's definition makes `page` its org default record page on desktop. */
function isOrgDefault(
  page: string,
  objectName: string,
  index: PackageIndex
): boolean {
  const file = index.objects.get(objectName);
  if (!file) return false;
  return children(readRoot(file, 'CustomObject'), 'actionOverrides').some(
    (override) =>
      text(override, 'actionName') === 'View' &&
      text(override, 'type') === 'Flexipage' &&
      text(override, 'content') === page &&
      text(override, 'formFactor') === 'Large'
  );
}

function recordPageActivationProblems(
  file: string,
  index: PackageIndex
): string[] {
  const page = readRoot(file, 'FlexiPage');
  if (text(page, 'type') !== 'RecordPage') return [];
  const objectName = text(page, 'sobjectType');
  const name = basename(file).replace(/\.flexipage-meta\.xml$/, '');
  if (isOrgDefault(name, objectName, index)) return [];
  return [
    `record page of ${objectName} is not its org default, so it shows only inside apps that assign it: add a View actionOverride (type Flexipage, content ${name}, formFactor Large) to objects/${objectName}/${objectName}.object-meta.xml`
  ];
}

function applicationProblems(file: string, index: PackageIndex): string[] {
  const app = readRoot(file, 'CustomApplication');
  const problems: string[] = [];
  const tabs = strings(app, 'tabs');
  for (const tab of tabs) {
    const problem = tabProblem(tab, index);
    if (problem) problems.push(problem);
  }
  const config = isNode(app.workspaceConfig) ? app.workspaceConfig : {};
  for (const mapping of children(config, 'mappings')) {
    const tab = text(mapping, 'tab');
    if (!tabs.includes(tab)) {
      problems.push(
        `workspaceConfig maps tab ${tab}, which the app does not list in <tabs>`
      );
    }
    const field = text(mapping, 'fieldName');
    const objectName = /^standard-(\w+)$/.exec(tab)?.[1] ?? tab;
    if (field) {
      const lookup = index.schema.field(`${objectName}.${field}`);
      if ('problem' in lookup)
        problems.push(`workspaceConfig fieldName: ${lookup.problem}`);
    }
  }
  for (const override of children(app, 'actionOverrides')) {
    if (text(override, 'type') !== 'Flexipage') continue;
    const problem = recordPageOverrideProblem(
      text(override, 'content'),
      text(override, 'pageOrSobjectType'),
      index
    );
    if (problem) problems.push(problem);
  }
  return problems;
}

/** A custom object tab needs its object in force-app. */
function tabFileProblems(file: string, index: PackageIndex): string[] {
  const tab = readRoot(file, 'CustomTab');
  if (text(tab, 'customObject') !== 'true') return [];
  const name = basename(file).replace(/\.tab-meta\.xml$/, '');
  const object = index.schema.object(name);
  return 'problem' in object ? [`custom object tab: ${object.problem}`] : [];
}

export function checkMetadataReferences(project: SfdxProject): Problem[] {
  return checkEachPackage(project, CHECK, (packageDir, schema, report) => {
    const index: PackageIndex = {
      schema,
      classes: packageFiles(packageDir, 'classes', '.cls-meta.xml'),
      apps: packageFiles(packageDir, 'applications', '.app-meta.xml'),
      tabs: packageFiles(packageDir, 'tabs', '.tab-meta.xml'),
      flexipages: packageFiles(packageDir, 'flexipages', '.flexipage-meta.xml'),
      components: bundleFiles(packageDir, 'lwc', '.js-meta.xml'),
      objects: bundleFiles(packageDir, 'objects', '.object-meta.xml')
    };
    const each = (
      files: Map<string, string>,
      check: (file: string, index: PackageIndex) => string[]
    ): void => {
      for (const file of [...files.values()].sort()) {
        for (const message of check(file, index)) report(file, message);
      }
    };
    each(
      packageFiles(packageDir, 'permissionsets', '.permissionset-meta.xml'),
      permissionSetProblems
    );
    each(index.apps, applicationProblems);
    each(index.flexipages, flexipageProblems);
    each(index.flexipages, recordPageActivationProblems);
    each(index.objects, objectProblems);
    each(index.tabs, tabFileProblems);
  });
}
