/** Describe results in the REST shapes jsforce and the sf CLI read. */
import type { FieldSchema, ObjectSchema } from '../schema/types.ts';
import { API_VERSION } from './context.ts';
import { ADDRESS_PARTS, addressPart } from './records.ts';

const base = `/services/data/v${API_VERSION}/sobjects`;

function urls(object: ObjectSchema): Record<string, string> {
  return {
    sobject: `${base}/${object.name}`,
    describe: `${base}/${object.name}/describe`,
    rowTemplate: `${base}/${object.name}/{ID}`
  };
}

export function globalDescribeEntry(
  object: ObjectSchema
): Record<string, unknown> {
  return {
    name: object.name,
    label: object.label,
    labelPlural: object.labelPlural,
    keyPrefix: object.keyPrefix,
    custom: object.custom,
    customSetting: object.customSetting,
    createable: object.createable && !object.customMetadata,
    updateable: object.updateable && !object.customMetadata,
    deletable: object.deletable && !object.customMetadata,
    queryable: object.queryable,
    retrieveable: true,
    searchable: !object.customMetadata,
    layoutable: !object.customMetadata,
    triggerable: !object.customMetadata,
    mergeable: false,
    replicateable: !object.customMetadata,
    undeletable: false,
    feedEnabled: false,
    activateable: false,
    deprecatedAndHidden: false,
    hasSubtypes: false,
    isSubtype: false,
    isInterface: false,
    urls: urls(object)
  };
}

function fieldDescribe(
  field: FieldSchema,
  compounds: ReadonlyMap<string, string>
): Record<string, unknown> {
  return {
    ...field,
    // No dependent picklists here, so no value is limited by a controlling field.
    picklistValues: field.picklistValues.map((p) => ({ ...p, validFor: null })),
    soapType: soapType(field),
    cascadeDelete: false,
    caseSensitive: false,
    dependentPicklist: false,
    nameField: field.name === 'Name',
    namePointing: field.referenceTo.length > 1,
    htmlFormatted: false,
    polymorphicForeignKey: field.referenceTo.length > 1,
    permissionable: field.custom && field.nillable,
    aggregatable: true,
    digits: field.type === 'int' ? 9 : 0,
    byteLength: field.length * 3,
    compoundFieldName: compounds.get(field.name) ?? null,
    controllerName: null,
    deprecatedAndHidden: false,
    sortable: field.sortable
  };
}

function soapType(field: FieldSchema): string {
  switch (field.type) {
    case 'id':
    case 'reference':
      return 'tns:ID';
    case 'boolean':
      return 'xsd:boolean';
    case 'int':
      return 'xsd:int';
    case 'long':
      return 'xsd:long';
    case 'double':
    case 'currency':
    case 'percent':
      return 'xsd:double';
    case 'date':
      return 'xsd:date';
    case 'datetime':
      return 'xsd:dateTime';
    case 'time':
      return 'xsd:time';
    case 'address':
      return 'urn:address';
    case 'location':
      return 'urn:location';
    case 'base64':
      return 'xsd:base64Binary';
    default:
      return 'xsd:string';
  }
}

/** Component field name -> its compound address field (BillingCity -> BillingAddress). */
function compoundsOf(object: ObjectSchema): Map<string, string> {
  const compounds = new Map<string, string>();
  for (const address of object.fields.filter((f) => f.type === 'address'))
    for (const suffix of Object.keys(ADDRESS_PARTS))
      compounds.set(addressPart(address, suffix), address.name);
  return compounds;
}

export function objectDescribe(object: ObjectSchema): Record<string, unknown> {
  const compounds = compoundsOf(object);
  return {
    ...globalDescribeEntry(object),
    fields: object.fields.map((f) => fieldDescribe(f, compounds)),
    childRelationships: object.childRelationships.map((r) => ({
      ...r,
      deprecatedAndHidden: false,
      restrictedDelete: false,
      junctionIdListNames: [],
      junctionReferenceTo: []
    })),
    recordTypeInfos: [],
    supportedScopes: [{ label: 'All', name: 'everything' }],
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    actionOverrides: []
  };
}
