/**
 * The org's schema: standard objects with the project's custom fields merged onto them, plus
 * custom objects and custom metadata types. Names resolve case-insensitively, as on the platform.
 */
import type { FieldSchema, ObjectSchema, SchemaRegistry } from './types.ts';

export function buildRegistry(
  objects: readonly ObjectSchema[]
): SchemaRegistry {
  const byName = new Map<string, ObjectSchema>();
  const fieldsByObject = new Map<string, Map<string, FieldSchema>>();
  const byPrefix = new Map<string, ObjectSchema>();
  for (const object of objects) {
    const key = object.name.toLowerCase();
    if (byName.has(key))
      throw new Error(`Schema: object ${object.name} is defined twice`);
    byName.set(key, object);
    fieldsByObject.set(
      key,
      new Map(object.fields.map((f) => [f.name.toLowerCase(), f]))
    );
    if (object.keyPrefix) {
      const other = byPrefix.get(object.keyPrefix);
      if (other)
        throw new Error(
          `Schema: ${object.name} and ${other.name} share key prefix ${object.keyPrefix}`
        );
      byPrefix.set(object.keyPrefix, object);
    }
  }
  return {
    objects: () => [...byName.values()],
    object: (name) => byName.get(name.toLowerCase()),
    field: (objectName, fieldName) =>
      fieldsByObject
        .get(objectName.toLowerCase())
        ?.get(fieldName.toLowerCase()),
    objectForId: (id) => byPrefix.get(id.slice(0, 3))
  };
}

/**
 * Adds custom fields to standard objects, as a deploy does. A field already on the object
 * (same name) is an error: force-app must not redefine a standard field.
 */
export function mergeFields(
  objects: readonly ObjectSchema[],
  additions: ReadonlyMap<string, readonly FieldSchema[]>
): ObjectSchema[] {
  const result = objects.map((o) => ({ ...o, fields: [...o.fields] }));
  for (const [objectName, fields] of additions) {
    const target = result.find(
      (o) => o.name.toLowerCase() === objectName.toLowerCase()
    );
    if (!target)
      throw new Error(
        `Schema: custom fields target unknown object ${objectName}`
      );
    for (const field of fields) {
      if (
        target.fields.some(
          (f) => f.name.toLowerCase() === field.name.toLowerCase()
        )
      ) {
        throw new Error(
          `Schema: ${objectName}.${field.name} is already defined`
        );
      }
      target.fields.push(field);
    }
  }
  return result;
}
