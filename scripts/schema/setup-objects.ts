/**
 * Setup objects the local org models for users and queues that Salesforce's field reference
 * (shared/reference/sobjects, from which standard-objects.json is generated) does not carry:
 * Profile, UserRole, PermissionSet, PermissionSetAssignment, GroupMember and QueueSobject.
 * Each field, its type and its properties (Create, Update, Nillable, Defaulted on create) are
 * taken from the Object Reference for the Salesforce Platform, cited per object:
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/
 * (sforce_api_objects_<name>.htm). Only the fields a client of this project reads or writes
 * are modelled; the per-permission booleans (PermissionsXxx) are left out.
 */
import { defineField, type FieldOverrides } from './field.ts';
import type {
  ChildRelationship,
  FieldSchema,
  FieldType,
  ObjectSchema
} from './types.ts';

/** The properties the reference lists, as flags: "Create, Update, Nillable, Defaulted on create". */
interface Props {
  create?: boolean;
  update?: boolean;
  nillable?: boolean;
  defaulted?: boolean;
  unique?: boolean;
  idLookup?: boolean;
}

function field(
  name: string,
  type: FieldType,
  props: Props,
  extra: FieldOverrides = {}
): FieldSchema {
  return defineField(name, type, {
    createable: props.create === true,
    updateable: props.update === true,
    // Checkboxes are never null on the platform.
    nillable: type === 'boolean' ? false : props.nillable === true,
    defaultedOnCreate: type === 'boolean' || props.defaulted === true,
    unique: props.unique === true,
    idLookup: props.idLookup === true,
    groupable: type !== 'textarea',
    defaultValue: type === 'boolean' ? false : null,
    ...extra
  });
}

function lookup(
  name: string,
  referenceTo: string[],
  props: Props,
  relationshipName: string | null = name.replace(/Id$/, '')
): FieldSchema {
  return field(name, 'reference', props, { referenceTo, relationshipName });
}

function text(name: string, length: number, props: Props): FieldSchema {
  return field(name, 'string', props, { length });
}

function picklist(name: string, values: string[], props: Props): FieldSchema {
  return field(name, 'picklist', props, {
    length: 40,
    restrictedPicklist: true,
    picklistValues: values.map((value) => ({
      value,
      label: value,
      active: true,
      defaultValue: false
    }))
  });
}

/** Id and the audit fields every object has (CreatedDate ... SystemModstamp). */
function systemFields(): FieldSchema[] {
  const stamp = (name: string): FieldSchema =>
    field(name, 'datetime', { defaulted: true });
  const by = (name: string): FieldSchema =>
    lookup(name, ['User'], { defaulted: true });
  return [
    field('Id', 'id', { defaulted: true, idLookup: true }, { length: 18 }),
    stamp('CreatedDate'),
    by('CreatedById'),
    stamp('LastModifiedDate'),
    by('LastModifiedById'),
    stamp('SystemModstamp')
  ];
}

function setupObject(
  name: string,
  label: string,
  labelPlural: string,
  keyPrefix: string,
  calls: { create: boolean; update: boolean; delete: boolean },
  fields: FieldSchema[]
): ObjectSchema {
  return {
    name,
    label,
    labelPlural,
    keyPrefix,
    custom: false,
    customSetting: false,
    customMetadata: false,
    createable: calls.create,
    updateable: calls.update,
    deletable: calls.delete,
    queryable: true,
    fields: [...systemFields(), ...fields],
    childRelationships: []
  };
}

/** UserType values (User and Profile share them); from the User object's reference page. */
export const USER_TYPES = [
  'Standard',
  'PowerPartner',
  'CspLitePortal',
  'CustomerSuccess',
  'PowerCustomerSuccess',
  'CsnOnly',
  'Guest'
];

const ACCESS_LEVELS = ['None', 'Read', 'Edit'];

/**
 * The setup objects, with their key prefixes as a real org reports them (00e Profile,
 * 00E UserRole, 0PS PermissionSet, 0Pa PermissionSetAssignment, 011 GroupMember,
 * 03g QueueSobject).
 */
export function loadSetupObjects(): ObjectSchema[] {
  return [
    // sforce_api_objects_profile.htm: create, delete, query, retrieve, update, upsert.
    setupObject(
      'Profile',
      'Profile',
      'Profiles',
      '00e',
      { create: true, update: true, delete: true },
      [
        text('Name', 255, { create: true, update: true, idLookup: true }),
        field(
          'Description',
          'string',
          { create: true, update: true, nillable: true },
          { length: 255 }
        ),
        picklist('UserType', USER_TYPES, { nillable: true }),
        field('IsSsoEnabled', 'boolean', { update: true })
      ]
    ),
    // sforce_api_objects_userrole.htm
    setupObject(
      'UserRole',
      'Role',
      'Roles',
      '00E',
      { create: true, update: true, delete: true },
      [
        text('Name', 80, { create: true, update: true }),
        text('DeveloperName', 80, {
          create: true,
          update: true,
          nillable: true
        }),
        lookup(
          'ParentRoleId',
          ['UserRole'],
          { create: true, update: true, nillable: true },
          null
        ),
        text('RollupDescription', 80, {
          create: true,
          update: true,
          nillable: true
        }),
        picklist('CaseAccessForAccountOwner', ACCESS_LEVELS, {
          create: true,
          update: true,
          nillable: true
        }),
        picklist('ContactAccessForAccountOwner', ACCESS_LEVELS, {
          create: true,
          update: true,
          nillable: true
        }),
        picklist('OpportunityAccessForAccountOwner', ACCESS_LEVELS, {
          create: true,
          update: true,
          nillable: true
        })
      ]
    ),
    // sforce_api_objects_permissionset.htm
    setupObject(
      'PermissionSet',
      'Permission Set',
      'Permission Sets',
      '0PS',
      { create: true, update: true, delete: true },
      [
        text('Name', 80, { create: true, update: true }),
        text('Label', 80, { create: true, update: true }),
        field(
          'Description',
          'string',
          { create: true, update: true, nillable: true },
          { length: 255 }
        ),
        field('IsOwnedByProfile', 'boolean', {}),
        lookup('ProfileId', ['Profile'], { nillable: true }),
        text('NamespacePrefix', 15, { nillable: true })
      ]
    ),
    // sforce_api_objects_permissionsetassignment.htm: create, delete, query, retrieve, update.
    setupObject(
      'PermissionSetAssignment',
      'Permission Set Assignment',
      'Permission Set Assignments',
      '0Pa',
      { create: true, update: true, delete: true },
      [
        lookup('AssigneeId', ['User'], { create: true }),
        lookup('PermissionSetId', ['PermissionSet'], {
          create: true,
          nillable: true
        }),
        lookup('PermissionSetGroupId', ['PermissionSetGroup'], {
          create: true,
          nillable: true
        }),
        field('ExpirationDate', 'datetime', {
          create: true,
          update: true,
          nillable: true
        }),
        // "Defaults to false" in the reference, but an assignment made through the API is
        // active at once (IsActive false marks assignments pending a permission set group's
        // recalculation), so the local org stores true; see platform-rules.ts.
        field('IsActive', 'boolean', {}),
        field('IsRevoked', 'boolean', { update: true })
      ]
    ),
    // sforce_api_objects_groupmember.htm: create, delete, query, retrieve (no update).
    setupObject(
      'GroupMember',
      'Group Member',
      'Group Members',
      '011',
      { create: true, update: false, delete: true },
      [
        lookup('GroupId', ['Group'], { create: true }),
        lookup('UserOrGroupId', ['User', 'Group'], { create: true })
      ]
    ),
    // sforce_api_objects_queuesobject.htm: the object types a queue can own.
    setupObject(
      'QueueSobject',
      'Queue Sobject',
      'Queue Sobjects',
      '03g',
      { create: true, update: false, delete: true },
      [
        lookup('QueueId', ['Group'], { create: true }),
        text('SobjectType', 40, { create: true })
      ]
    )
  ];
}

/** Child relationships the setup objects give their parents, named as a real org names them. */
const SETUP_CHILDREN: { parent: string; child: ChildRelationship }[] = [
  {
    parent: 'User',
    child: {
      childSObject: 'PermissionSetAssignment',
      field: 'AssigneeId',
      relationshipName: 'PermissionSetAssignments',
      cascadeDelete: true
    }
  },
  {
    parent: 'PermissionSet',
    child: {
      childSObject: 'PermissionSetAssignment',
      field: 'PermissionSetId',
      relationshipName: 'Assignments',
      cascadeDelete: true
    }
  },
  {
    parent: 'Group',
    child: {
      childSObject: 'GroupMember',
      field: 'GroupId',
      relationshipName: 'GroupMembers',
      cascadeDelete: true
    }
  },
  {
    parent: 'Group',
    child: {
      childSObject: 'QueueSobject',
      field: 'QueueId',
      relationshipName: 'QueueSobjects',
      cascadeDelete: true
    }
  },
  {
    parent: 'Profile',
    child: {
      childSObject: 'User',
      field: 'ProfileId',
      relationshipName: 'Users',
      cascadeDelete: false
    }
  },
  {
    parent: 'UserRole',
    child: {
      childSObject: 'User',
      field: 'UserRoleId',
      relationshipName: 'Users',
      cascadeDelete: false
    }
  }
];

/** The standard objects with the setup objects added and their child relationships on the parents. */
export function withSetupObjects(
  standard: readonly ObjectSchema[]
): ObjectSchema[] {
  const all = [...standard, ...loadSetupObjects()].map((object) => ({
    ...object,
    childRelationships: [...object.childRelationships]
  }));
  for (const { parent, child } of SETUP_CHILDREN) {
    const target = all.find((object) => object.name === parent);
    if (
      target &&
      !target.childRelationships.some(
        (r) => r.relationshipName === child.relationshipName
      )
    )
      target.childRelationships.push(child);
  }
  return all;
}
