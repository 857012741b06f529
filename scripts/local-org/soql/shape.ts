/**
 * Builds Salesforce REST JSON records from SQL rows. The shape (which column goes to which
 * key, nested parent objects, value conversion) is compiled once per query into closures, so
 * shaping a row is a handful of array reads and property writes.
 */
import type { FieldType } from '../../schema/types.ts';
import { toApiDateTime } from './dates.ts';
import { malformed } from './errors.ts';
import type { JoinNode } from './scope.ts';

export type Row = unknown[];
export type SObjectRecord = Record<string, unknown>;
type Converter = (value: unknown) => unknown;

const identity: Converter = (value) => value;

/** Ids are stored as TEXT; anything else means a corrupt row, shown as SQLite returned it. */
function idText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function converterFor(type: FieldType): Converter {
  switch (type) {
    case 'boolean':
      return (value) =>
        value === null ? null : value !== 0 && value !== '0' && value !== false;
    case 'int':
    case 'long':
    case 'double':
    case 'currency':
    case 'percent':
      return (value) => (value === null ? null : Number(value));
    case 'datetime':
      return (value) =>
        typeof value === 'string' ? toApiDateTime(value) : value;
    case 'address':
      // Built by SQLite's json_object (Scope.addressSql).
      return (value) =>
        typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
    default:
      return identity;
  }
}

/** Allocates result columns: the SELECT list of the compiled SQL. */
export class ColumnList {
  readonly expressions: string[] = [];

  add(sql: string): number {
    this.expressions.push(sql);
    return this.expressions.length - 1;
  }

  selectClause(): string {
    return this.expressions.map((sql, i) => `${sql} AS c${i}`).join(', ');
  }
}

interface ValueNode {
  kind: 'value';
  key: string;
  column: number;
  convert: Converter;
}

interface ParentNode {
  kind: 'parent';
  key: string;
  join: JoinNode;
  /** Id column of each join target, to tell which one matched. */
  targetIds: { type: string; column: number }[];
  children: OutNode[];
}

/** A child subquery's slot; its value is filled in after the parent rows are read. */
interface SlotNode {
  kind: 'slot';
  key: string;
}

type OutNode = ValueNode | ParentNode | SlotNode;

/** The output layout of one record query, assembled field by field in SELECT order. */
export class RecordShape {
  private readonly nodes: OutNode[] = [];

  constructor(
    private readonly columns: ColumnList,
    private readonly urlBase: string,
    private readonly rootType: string,
    private readonly rootIdColumn: number
  ) {}

  addField(
    join: JoinNode | null,
    name: string,
    sql: string,
    type: FieldType
  ): void {
    const siblings = this.childrenOf(join);
    if (siblings.some((node) => node.key === name))
      throw malformed(`duplicate field selected: ${name}`);
    siblings.push({
      kind: 'value',
      key: name,
      column: this.columns.add(sql),
      convert: converterFor(type)
    });
  }

  addSlot(key: string): void {
    if (this.nodes.some((node) => node.key === key))
      throw malformed(`duplicate field selected: ${key}`);
    this.nodes.push({ kind: 'slot', key });
  }

  private childrenOf(join: JoinNode | null): OutNode[] {
    if (join === null) return this.nodes;
    const siblings = this.childrenOf(join.parent);
    let node = siblings.find(
      (n): n is ParentNode => n.kind === 'parent' && n.join === join
    );
    if (node === undefined) {
      if (siblings.some((n) => n.key === join.relationshipName))
        throw malformed(`duplicate field selected: ${join.relationshipName}`);
      node = {
        kind: 'parent',
        key: join.relationshipName,
        join,
        targetIds: join.targets.map((t) => ({
          type: t.object.name,
          column: this.columns.add(`${t.alias}."Id"`)
        })),
        children: []
      };
      siblings.push(node);
    }
    return node.children;
  }

  /** A function from a SQL row (raw array) to the REST record. */
  compile(): (row: Row) => SObjectRecord {
    const urlBase = this.urlBase;
    const fill = compileNodes(this.nodes, urlBase);
    const type = this.rootType;
    const idColumn = this.rootIdColumn;
    const url = `${urlBase}${type}/`;
    return (row) => {
      const record: SObjectRecord = {
        attributes: { type, url: `${url}${idText(row[idColumn])}` }
      };
      fill(row, record);
      return record;
    };
  }
}

function compileNodes(
  nodes: OutNode[],
  urlBase: string
): (row: Row, into: SObjectRecord) => void {
  const steps = nodes.map((node): ((row: Row, into: SObjectRecord) => void) => {
    const key = node.key;
    switch (node.kind) {
      case 'value': {
        const { column, convert } = node;
        return (row, into) => {
          into[key] = convert(row[column] ?? null);
        };
      }
      case 'slot':
        return (_row, into) => {
          into[key] = null;
        };
      case 'parent': {
        const fill = compileNodes(node.children, urlBase);
        const targets = node.targetIds;
        const polymorphic = node.join.polymorphic;
        return (row, into) => {
          let parent: SObjectRecord | null = null;
          for (const target of targets) {
            const id = row[target.column];
            if (id === null || id === undefined) continue;
            parent = {
              attributes: {
                type: polymorphic ? 'Name' : target.type,
                url: `${urlBase}${target.type}/${idText(id)}`
              }
            };
            fill(row, parent);
            break;
          }
          into[key] = parent;
        };
      }
    }
  });
  return (row, into) => {
    for (const step of steps) step(row, into);
  };
}
