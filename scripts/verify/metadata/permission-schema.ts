/**
 * The objects and fields a permission set may name: the project's own (force-app) and the
 * standard ones in scripts/schema/standard-objects.json, with the project's custom fields on
 * standard objects merged in as a deploy would. Names must be spelled as the schema spells them.
 */
import {
  ForceAppSourceError,
  loadForceAppSchema
} from '../../schema/force-app-source.ts';
import { loadStandardObjects } from '../../schema/standard.ts';
import { mergeFields } from '../../schema/registry.ts';
import type { FieldSchema, ObjectSchema } from '../../schema/types.ts';
import { readSource, reportInto, type Problem } from './problems.ts';
import type { SfdxProject } from './project.ts';
import { closestName, type Tolerance } from './suggest.ts';

/** API names share suffixes such as __c, so only near-identical names are worth suggesting. */
const nameTolerance: Tolerance = (name) =>
  Math.max(1, Math.floor(name.length / 4));

export interface KnownObject {
  name: string;
  /** Custom metadata types take customMetadataTypeAccesses, not object or field permissions. */
  customMetadata: boolean;
  fields: ReadonlyMap<string, FieldSchema>;
}

export type Lookup<T> = { found: T } | { problem: string };

export class PermissionSchema {
  private readonly objects = new Map<string, KnownObject>();

  constructor(objects: readonly KnownObject[]) {
    for (const object of objects) this.objects.set(object.name, object);
  }

  /** A custom field the project defines, as `Object.Field` with its schema. */
  *projectCustomFields(): Generator<[string, FieldSchema]> {
    for (const object of this.objects.values()) {
      if (object.customMetadata) continue;
      for (const field of object.fields.values()) {
        if (field.custom) yield [`${object.name}.${field.name}`, field];
      }
    }
  }

  object(name: string): Lookup<KnownObject> {
    const object = this.objects.get(name);
    if (object) return { found: object };
    const hint = closestName(name, this.objects.keys(), nameTolerance);
    return {
      problem:
        `${name} is neither an object in force-app nor a standard object in ` +
        `scripts/schema/standard-objects.json${hint ? ` (did you mean ${hint}?)` : ''}`
    };
  }

  /** Resolves `Object.Field`. */
  field(qualifiedName: string): Lookup<FieldSchema> {
    const dot = qualifiedName.indexOf('.');
    if (dot <= 0 || dot === qualifiedName.length - 1) {
      return { problem: `"${qualifiedName}" is not of the form Object.Field` };
    }
    const objectName = qualifiedName.slice(0, dot);
    const fieldName = qualifiedName.slice(dot + 1);
    const object = this.object(objectName);
    if ('problem' in object) return object;
    const field = object.found.fields.get(fieldName);
    if (field) return { found: field };
    const hint = closestName(
      fieldName,
      object.found.fields.keys(),
      nameTolerance
    );
    return {
      problem:
        `${qualifiedName} is neither a field force-app defines nor a standard field of ` +
        `${objectName}${hint ? ` (did you mean ${objectName}.${hint}?)` : ''}`
    };
  }
}

/** The schema a deploy of packageDir would produce in an org with the standard objects. */
export function loadPermissionSchema(packageDir: string): PermissionSchema {
  const project = loadForceAppSchema(packageDir);
  const standard = loadStandardObjects();
  const standardNames = new Set(standard.map((object) => object.name));
  const onStandard = Object.entries(project.fieldsOnStandardObjects);
  let merged: ObjectSchema[];
  try {
    // The registry's rule for a deploy: custom fields join their standard object, and
    // redefining a standard field is an error (the Apex check builds its schema the same way).
    merged = mergeFields(
      standard,
      new Map(onStandard.filter(([name]) => standardNames.has(name)))
    );
  } catch (error) {
    throw new ForceAppSourceError(
      packageDir,
      error instanceof Error ? error.message : String(error)
    );
  }
  const known: KnownObject[] = merged.map((object) => ({
    name: object.name,
    customMetadata: false,
    fields: new Map(object.fields.map((field) => [field.name, field]))
  }));
  // Custom fields on a standard object the standard schema lacks: the object itself is still
  // unknown, but its project fields are known and must be covered.
  for (const [name, fields] of onStandard) {
    if (standardNames.has(name)) continue;
    known.push({
      name,
      customMetadata: false,
      fields: new Map(fields.map((field) => [field.name, field]))
    });
  }
  for (const object of project.objects) {
    known.push({
      name: object.name,
      customMetadata: object.customMetadata,
      fields: new Map(object.fields.map((field) => [field.name, field]))
    });
  }
  return new PermissionSchema(known);
}

/** Per check run (one SfdxProject): each package directory's schema, or why it could not load. */
const loaded = new WeakMap<
  SfdxProject,
  Map<string, PermissionSchema | ForceAppSourceError>
>();

/**
 * loadPermissionSchema once per run: several checks need the same package's schema, and loading
 * parses all of force-app. A source error is kept and thrown again, so each check reports it.
 */
export function permissionSchemaOf(
  project: SfdxProject,
  packageDir: string
): PermissionSchema {
  let schemas = loaded.get(project);
  if (schemas === undefined) {
    schemas = new Map();
    loaded.set(project, schemas);
  }
  let schema = schemas.get(packageDir);
  if (schema === undefined) {
    try {
      schema = loadPermissionSchema(packageDir);
    } catch (error) {
      if (!(error instanceof ForceAppSourceError)) throw error;
      schema = error;
    }
    schemas.set(packageDir, schema);
  }
  if (schema instanceof ForceAppSourceError) throw schema;
  return schema;
}

/**
 * Runs a check over each package directory with its schema, reporting under `check`. A package
 * whose source cannot be read is reported once and skipped.
 */
export function checkEachPackage(
  project: SfdxProject,
  check: string,
  run: (
    packageDir: string,
    schema: PermissionSchema,
    report: (file: string, message: string) => void
  ) => void
): Problem[] {
  const problems: Problem[] = [];
  const report = reportInto(problems, project, check);
  for (const packageDir of project.packageDirs) {
    const schema = readSource(
      () => permissionSchemaOf(project, packageDir),
      report
    );
    if (schema !== undefined) run(packageDir, schema, report);
  }
  return problems;
}
