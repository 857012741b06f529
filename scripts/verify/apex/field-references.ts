/**
 * Finds every sObject field an Apex class or trigger names and reports the ones the schema
 * does not have. It reads jorje's AST (see apex-parser.ts), which parses inline SOQL into
 * structure, so fields are checked where they appear:
 * - SOQL: select lists, relationship paths (Account.Name, Owner.Email), child subqueries
 *   (SELECT ... FROM Cases), semi-joins, WHERE / GROUP BY / HAVING / ORDER BY;
 * - field tokens: Incident.Severity__c, Schema.Incident.Urgency, Incident.fields.Severity__c,
 *   Schema.SObjectType.Incident.fields.Severity__c;
 * - fields of values whose sObject type is known from a declaration, cast, trigger context or
 *   query: inc.Severity__c, inc.Account__r.Name, new Incident(Urgency = ...),
 *   rec.get('Field') / put / isSet / getSObject / getSObjects with a literal name.
 * Values typed as the generic SObject, and dynamic SOQL strings, are not checked: their
 * object is only known at run time.
 */
import { isNode } from './apex-parser.ts';
import type { AstNode, AstValue } from './apex-parser.ts';
import type { SchemaIndex } from './apex-schema.ts';
import type { Problem } from './problem.ts';

export const FIELD_REFERENCE_RULE = 'apex-field-reference';

/** What the checker knows about a value: an sObject (several for polymorphic lookups), a collection of them, or nothing useful. */
type ValueType =
  | { kind: 'sobject'; objects: string[] }
  | { kind: 'list'; objects: string[] }
  /** An inline query's result: a list that Apex also lets code use as its single row. */
  | { kind: 'rows'; objects: string[] }
  | { kind: 'map'; objects: string[] }
  | { kind: 'other' };

const OTHER: ValueType = { kind: 'other' };

interface Name {
  value: string;
  line: number;
}

interface QueryScope {
  objects: string[];
  alias: string | undefined;
}

const lower = (name: string): string => name.toLowerCase();

function className(node: AstNode): string {
  const value = node['@class'];
  return typeof value === 'string' ? value : '';
}

/** The part after the last `.`, e.g. `Expr$VariableExpr`. */
function kind(node: AstNode): string {
  const name = className(node);
  return name.slice(name.lastIndexOf('.') + 1);
}

function child(node: AstNode, key: string): AstNode | undefined {
  const value = node[key];
  return isNode(value) ? value : undefined;
}

/** jorje's Optional<T> serializes as `{}` or `{ value: T }`. */
function optional(node: AstNode, key: string): AstNode | undefined {
  const holder = child(node, key);
  return holder === undefined ? undefined : child(holder, 'value');
}

function children(node: AstNode, key: string): AstNode[] {
  const value = node[key];
  return Array.isArray(value) ? value.filter(isNode) : [];
}

function lineOf(node: AstNode | undefined): number {
  const loc = node === undefined ? undefined : child(node, 'loc');
  if (loc === undefined) return 0;
  const line = loc.line ?? loc.startLine;
  return typeof line === 'number' ? line : 0;
}

function identifier(node: AstNode | undefined): Name | undefined {
  if (node === undefined) return undefined;
  const value = node.value;
  return typeof value === 'string' ? { value, line: lineOf(node) } : undefined;
}

function identifiers(nodes: AstNode[]): Name[] {
  return nodes
    .map(identifier)
    .filter((name): name is Name => name !== undefined);
}

/** `Account.Owner.Name` as a SOQL FieldIdentifier chain, outermost entity first. */
function fieldIdentifierPath(node: AstNode | undefined): Name[] {
  if (node === undefined) return [];
  const entity = optional(node, 'entity');
  const own = identifier(child(node, 'field'));
  return [...fieldIdentifierPath(entity), ...(own ? [own] : [])];
}

function isApexExpression(node: AstNode): boolean {
  return className(node).startsWith('apex.jorje.data.ast.Expr$');
}

function stringLiteral(node: AstNode | undefined): string | undefined {
  if (node === undefined || kind(node) !== 'Expr$LiteralExpr') return undefined;
  const type = child(node, 'type');
  const literal = child(node, 'literal');
  if (type?.$ !== 'STRING' || literal === undefined) return undefined;
  return typeof literal.$ === 'string' ? literal.$ : undefined;
}

/** Return types of the project's methods: class → method → one TypeRef per overload (lower-case keys). */
export type MethodIndex = Map<string, Map<string, AstNode[]>>;

/** Indexes the methods of every class, inner classes included, so calls can be typed by what they return. */
export function indexMethods(units: readonly AstNode[]): MethodIndex {
  const index: MethodIndex = new Map();
  const addClass = (decl: AstNode): void => {
    const className = identifier(child(decl, 'name'))?.value;
    if (className === undefined) return;
    const methods = index.get(lower(className)) ?? new Map<string, AstNode[]>();
    index.set(lower(className), methods);
    for (const member of children(decl, 'members')) {
      const method = child(member, 'methodDecl');
      const methodName = method
        ? identifier(child(method, 'name'))?.value
        : undefined;
      const returnType = method ? optional(method, 'type') : undefined;
      if (methodName !== undefined && returnType !== undefined) {
        methods.set(lower(methodName), [
          ...(methods.get(lower(methodName)) ?? []),
          returnType
        ]);
      }
      const inner = child(member, 'body');
      if (inner && kind(inner) === 'ClassDecl') addClass(inner);
    }
  };
  for (const unit of units) {
    const body = child(unit, 'body');
    if (body && kind(body) === 'ClassDecl') addClass(body);
  }
  return index;
}

class FieldReferenceWalker {
  readonly problems: Problem[] = [];
  private readonly scopes: Map<string, ValueType>[] = [];
  private readonly classes: string[] = [];
  private triggerObject: string | undefined;

  constructor(
    private readonly file: string,
    private readonly schema: SchemaIndex,
    private readonly methods: MethodIndex
  ) {}

  run(unit: AstNode): void {
    if (kind(unit) === 'CompilationUnit$TriggerDeclUnit') {
      this.triggerObject = identifiers(children(unit, 'target'))[0]?.value;
    }
    this.withScope(() => {
      this.visit(unit);
    });
  }

  private report(line: number, message: string): void {
    this.problems.push({
      file: this.file,
      line,
      rule: FIELD_REFERENCE_RULE,
      message
    });
  }

  private withScope(body: () => void): void {
    this.scopes.push(new Map());
    try {
      body();
    } finally {
      this.scopes.pop();
    }
  }

  /** Every declared name is recorded, non-sObject ones too: a local `incident` hides the Incident type. */
  private declare(name: Name | undefined, type: ValueType): void {
    if (name !== undefined) this.scopes.at(-1)?.set(lower(name.value), type);
  }

  private lookup(name: string): ValueType | undefined {
    for (let index = this.scopes.length - 1; index >= 0; index--) {
      const found = this.scopes[index]?.get(lower(name));
      if (found !== undefined) return found;
    }
    return undefined;
  }

  private sobjectNamed(names: Name[]): string | undefined {
    const parts = names.map((name) => name.value);
    const [first, second] = parts;
    const simple =
      parts.length === 2 && first !== undefined && lower(first) === 'schema'
        ? second
        : parts.length === 1
          ? first
          : undefined;
    return simple === undefined ? undefined : this.schema.object(simple)?.name;
  }

  private typeOfRef(typeRef: AstNode | undefined): ValueType {
    if (typeRef === undefined) return OTHER;
    if (kind(typeRef) === 'TypeRefs$ArrayTypeRef') {
      const held = this.typeOfRef(child(typeRef, 'heldType'));
      return held.kind === 'sobject'
        ? { kind: 'list', objects: held.objects }
        : OTHER;
    }
    const names = identifiers(children(typeRef, 'names'));
    const args = children(typeRef, 'typeArguments');
    const single = names.length === 1 ? lower(names[0]?.value ?? '') : '';
    const argument = (index: number): ValueType => this.typeOfRef(args[index]);
    if (single === 'list') {
      const element = argument(0);
      return element.kind === 'sobject'
        ? { kind: 'list', objects: element.objects }
        : OTHER;
    }
    if (single === 'map') {
      const value = argument(1);
      return value.kind === 'sobject'
        ? { kind: 'map', objects: value.objects }
        : OTHER;
    }
    const object = this.sobjectNamed(names);
    return object === undefined
      ? OTHER
      : { kind: 'sobject', objects: [object] };
  }

  // ── statements and declarations ──────────────────────────────────────────

  private visit(value: AstValue | undefined): void {
    if (Array.isArray(value)) {
      for (const item of value) this.visit(item);
      return;
    }
    if (!isNode(value)) return;
    if (isApexExpression(value)) {
      this.evaluate(value);
      return;
    }
    switch (kind(value)) {
      case 'ClassDecl':
        this.visitClass(value);
        return;
      case 'MethodDecl':
        this.withScope(() => {
          for (const parameter of children(value, 'parameters')) {
            this.declare(
              identifier(child(parameter, 'name')),
              this.typeOfRef(child(parameter, 'typeRef'))
            );
          }
          this.visit(value.stmnt);
        });
        return;
      case 'PropertyDecl': {
        const type = this.typeOfRef(child(value, 'type'));
        for (const accessor of ['getter', 'setter']) {
          this.withScope(() => {
            this.declare({ value: 'value', line: 0 }, type);
            this.visit(value[accessor]);
          });
        }
        return;
      }
      case 'VariableDecls':
        this.visitVariableDecls(value);
        return;
      case 'Stmnt$BlockStmnt':
        this.withScope(() => {
          this.visit(value.stmnts);
        });
        return;
      case 'Stmnt$ForLoop':
        this.withScope(() => {
          this.visitForControl(child(value, 'forControl'));
          this.visit(value.stmnt);
        });
        return;
      case 'CatchBlock':
        this.withScope(() => {
          const parameter = child(value, 'parameter');
          if (parameter)
            this.declare(identifier(child(parameter, 'name')), OTHER);
          this.visit(value.stmnt);
        });
        return;
      case 'WhenBlock$TypeWhen':
        this.withScope(() => {
          this.declare(
            identifier(child(value, 'name')),
            this.typeOfRef(child(value, 'typeRef'))
          );
          this.visit(value.stmnt);
        });
        return;
      default:
        for (const [key, item] of Object.entries(value)) {
          if (key !== 'loc') this.visit(item);
        }
    }
  }

  /** Members are visible in the whole class body, so they are declared before any method is read. */
  private visitClass(node: AstNode): void {
    this.classes.push(identifier(child(node, 'name'))?.value ?? '');
    this.withScope(() => {
      for (const member of children(node, 'members')) {
        const decls = child(member, 'variableDecls');
        if (decls) {
          const type = this.typeOfRef(child(decls, 'type'));
          for (const decl of children(decls, 'decls'))
            this.declare(identifier(child(decl, 'name')), type);
        }
        const property = child(member, 'propertyDecl');
        if (property)
          this.declare(
            identifier(child(property, 'name')),
            this.typeOfRef(child(property, 'type'))
          );
      }
      this.visit(node.members);
    });
    this.classes.pop();
  }

  /** What a project method returns, when every overload agrees. */
  private returnType(className: string, method: string): ValueType {
    const overloads =
      this.methods.get(lower(className))?.get(lower(method)) ?? [];
    const types = overloads.map((typeRef) => this.typeOfRef(typeRef));
    const [first] = types;
    if (first === undefined) return OTHER;
    const same = types.every(
      (type) => JSON.stringify(type) === JSON.stringify(first)
    );
    return same ? first : OTHER;
  }

  /** An unqualified call: a method of the class being read or of an enclosing one. */
  private ownMethodType(method: string): ValueType {
    for (let index = this.classes.length - 1; index >= 0; index--) {
      const className = this.classes[index];
      if (
        className !== undefined &&
        this.methods.get(lower(className))?.has(lower(method))
      ) {
        return this.returnType(className, method);
      }
    }
    return OTHER;
  }

  private visitVariableDecls(node: AstNode): void {
    const type = this.typeOfRef(child(node, 'type'));
    for (const decl of children(node, 'decls')) {
      const assignment = optional(decl, 'assignment');
      if (assignment) this.evaluate(assignment);
      this.declare(identifier(child(decl, 'name')), type);
    }
  }

  private visitForControl(control: AstNode | undefined): void {
    if (control === undefined) return;
    if (kind(control) === 'ForControl$EnhancedForControl') {
      const init = child(control, 'init');
      const source = init ? optional(init, 'expr') : undefined;
      if (source) this.evaluate(source);
      for (const name of identifiers(init ? children(init, 'name') : [])) {
        this.declare(name, this.typeOfRef(child(control, 'type')));
      }
      return;
    }
    const inits = optional(control, 'inits');
    if (inits) {
      const type = this.typeOfRef(optional(inits, 'type'));
      for (const init of children(inits, 'inits')) {
        const expr = optional(init, 'expr');
        if (expr) this.evaluate(expr);
        for (const name of identifiers(children(init, 'name')))
          this.declare(name, type);
      }
    }
    this.visit(control.condition);
    this.visit(control.control);
  }

  // ── expressions ──────────────────────────────────────────────────────────

  private evaluate(node: AstNode): ValueType {
    switch (kind(node)) {
      case 'Expr$VariableExpr':
        return this.chain(
          node,
          identifiers(children(node, 'names')),
          undefined
        );
      case 'Expr$MethodCallExpr': {
        const args = children(node, 'inputParameters');
        for (const arg of args) this.evaluate(arg);
        const names = identifiers(children(node, 'names'));
        const method = names.pop();
        return this.chain(
          node,
          names,
          method === undefined ? undefined : { name: method, args }
        );
      }
      case 'Expr$CastExpr':
        this.visit(node.expr);
        return this.typeOfRef(child(node, 'type'));
      case 'Expr$NestedExpr': {
        const inner = child(node, 'expr');
        return inner ? this.evaluate(inner) : OTHER;
      }
      case 'Expr$ArrayExpr': {
        const array = child(node, 'expr');
        const type = array ? this.evaluate(array) : OTHER;
        this.visit(node.index);
        return type.kind === 'list' || type.kind === 'rows'
          ? { kind: 'sobject', objects: type.objects }
          : OTHER;
      }
      case 'Expr$NewExpr':
        return this.evaluateNew(child(node, 'creator'));
      case 'Expr$SoqlExpr': {
        const query = child(node, 'query');
        const objects = query ? this.checkQuery(query, undefined) : [];
        return objects.length > 0 ? { kind: 'rows', objects } : OTHER;
      }
      case 'Expr$TriggerVariableExpr': {
        const variable = lower(
          identifier(child(node, 'variable'))?.value ?? ''
        );
        if (this.triggerObject === undefined) return OTHER;
        const objects = [this.triggerObject];
        if (variable === 'new' || variable === 'old')
          return { kind: 'list', objects };
        if (variable === 'newmap' || variable === 'oldmap')
          return { kind: 'map', objects };
        return OTHER;
      }
      default:
        for (const [key, item] of Object.entries(node)) {
          if (key !== 'loc') this.visit(item);
        }
        return OTHER;
    }
  }

  private evaluateNew(creator: AstNode | undefined): ValueType {
    if (creator === undefined) return OTHER;
    const type = this.typeOfRef(child(creator, 'type'));
    if (kind(creator) === 'NewObject$NewKeyValue') {
      // Only sObjects are built from name = value pairs, so an unknown type here is a missing object.
      if (type.kind !== 'sobject') {
        const typeName = identifiers(
          children(child(creator, 'type') ?? {}, 'names')
        );
        this.report(
          typeName[0]?.line ?? 0,
          `unknown object ${typeName.map((name) => name.value).join('.')} (new ...(field = value))`
        );
      }
      for (const pair of children(creator, 'keyValues')) {
        const name = identifier(child(pair, 'name'));
        if (name && type.kind === 'sobject')
          this.fieldOf(
            type.objects,
            name,
            `new ${type.objects.join('|')}(...)`
          );
        this.visit(pair.value);
      }
      return type;
    }
    this.visit(creator);
    if (
      kind(creator) === 'NewObject$NewListInit' ||
      kind(creator) === 'NewObject$NewListLiteral'
    ) {
      const element = this.typeOfRef(children(creator, 'types')[0]);
      return element.kind === 'sobject'
        ? { kind: 'list', objects: element.objects }
        : OTHER;
    }
    return type;
  }

  /** `a.b.c` or `a.b.c(args)`: a variable's members, or a type token, with an optional final method. */
  private chain(
    node: AstNode,
    names: Name[],
    call: { name: Name; args: AstNode[] } | undefined
  ): ValueType {
    const dotted = optional(node, 'dottedExpr');
    let current: ValueType;
    let rest: Name[];
    if (dotted !== undefined && kind(dotted) !== 'Expr$ThisVariableExpr') {
      current = this.evaluate(dotted);
      rest = names;
    } else {
      const [first, ...others] = names;
      if (first === undefined) {
        return call ? this.ownMethodType(call.name.value) : OTHER;
      }
      const variable = this.lookup(first.value);
      if (variable === undefined) {
        if (
          call &&
          others.length === 0 &&
          this.methods.has(lower(first.value))
        ) {
          return this.returnType(first.value, call.name.value);
        }
        this.checkToken(names);
        return OTHER;
      }
      current = variable;
      rest = others;
    }
    for (const name of rest) current = this.member(current, name);
    return call === undefined
      ? current
      : this.methodResult(current, call.name, call.args);
  }

  /** A member of a value: a field, a parent relationship (an sObject) or a child relationship (a list). */
  private member(current: ValueType, name: Name): ValueType {
    if (current.kind !== 'sobject' && current.kind !== 'rows') return OTHER;
    const parents = this.parentTargets(current.objects, name.value);
    if (parents !== undefined) {
      this.lookupThrough(current.objects, name, 'relationship');
      return { kind: 'sobject', objects: parents };
    }
    const childObject = current.objects
      .map((object) => this.schema.childRelationship(object, name.value))
      .find((found) => found !== undefined);
    if (childObject !== undefined)
      return { kind: 'list', objects: [childObject] };
    this.fieldOf(current.objects, name, 'field');
    return OTHER;
  }

  private methodResult(
    current: ValueType,
    method: Name,
    args: AstNode[]
  ): ValueType {
    const name = lower(method.value);
    if ((current.kind === 'list' || current.kind === 'rows') && name === 'get')
      return { kind: 'sobject', objects: current.objects };
    if (current.kind === 'map' && (name === 'get' || name === 'remove')) {
      return { kind: 'sobject', objects: current.objects };
    }
    if (current.kind === 'map' && name === 'values')
      return { kind: 'list', objects: current.objects };
    if (current.kind !== 'sobject') return OTHER;
    if (name === 'clone') return current;
    const literal = stringLiteral(args[0]);
    if (literal === undefined) return OTHER;
    const argument = { value: literal, line: lineOf(args[0]) || method.line };
    if (name === 'get' || name === 'put' || name === 'isset') {
      this.fieldOf(
        current.objects,
        argument,
        `${method.value}('${literal}')`,
        true
      );
      return OTHER;
    }
    if (name === 'getsobject' || name === 'putsobject') {
      const parents = this.parentTargets(current.objects, literal);
      if (parents === undefined)
        this.report(
          argument.line,
          `unknown relationship ${current.objects.join('|')}.${literal} in ${method.value}('${literal}')`
        );
      return parents === undefined
        ? OTHER
        : { kind: 'sobject', objects: parents };
    }
    if (name === 'getsobjects') {
      const found = current.objects
        .map((object) => this.schema.childRelationship(object, literal))
        .find((object) => object !== undefined);
      if (found === undefined)
        this.report(
          argument.line,
          `unknown child relationship ${current.objects.join('|')}.${literal} in ${method.value}('${literal}')`
        );
      return found === undefined ? OTHER : { kind: 'list', objects: [found] };
    }
    return OTHER;
  }

  /**
   * A name that is not a variable: a type token when it starts with an sObject name.
   * `Incident.Severity__c`, `Schema.Incident.Urgency`, `Incident.fields.Severity__c`,
   * `Schema.SObjectType.Incident.fields.Severity__c`; `Incident.SObjectType` and static
   * calls such as `BusinessHours.addGmt(...)` name no field.
   */
  private checkToken(names: Name[]): void {
    let parts = names;
    if (lower(parts[0]?.value ?? '') === 'schema') parts = parts.slice(1);
    let viaDescribe = false;
    if (
      lower(parts[0]?.value ?? '') === 'sobjecttype' &&
      parts[1] &&
      this.schema.object(parts[1].value)
    ) {
      parts = parts.slice(1);
      viaDescribe = true;
    }
    const [objectName, second, third] = parts;
    if (objectName === undefined || second === undefined) return;
    const object = this.schema.object(objectName.value);
    if (object === undefined) return;
    const token = lower(second.value);
    if (token === 'sobjecttype') return;
    if (token === 'fields') {
      if (third) this.fieldOf([object.name], third, 'field token');
      return;
    }
    if (viaDescribe) return;
    if (this.parentTargets([object.name], second.value) !== undefined) return;
    this.fieldOf([object.name], second, 'field token');
  }

  /** A standard parent relationship (`BusinessHours`) stands on its lookup field (`BusinessHoursId`). */
  private lookupThrough(
    objects: string[],
    relationship: Name,
    context: string
  ): void {
    for (const object of objects) {
      this.editionDependent(
        object,
        `${relationship.value}Id`,
        relationship.line,
        context
      );
    }
  }

  private parentTargets(
    objects: string[],
    relationship: string
  ): string[] | undefined {
    const targets = objects.flatMap(
      (object) => this.schema.parentRelationship(object, relationship) ?? []
    );
    return targets.length > 0 ? [...new Set(targets)] : undefined;
  }

  /**
   * Reports a field no object has. A static reference (SOQL, a typed access, a token, `new`)
   * to an edition-dependent field is reported too: Apex that names a missing field does not
   * compile, so the whole deploy fails in an org without it. `dynamic` marks get/put/isSet
   * with a literal name, which compile everywhere and fail only at run time.
   */
  private fieldOf(
    objects: string[],
    name: Name,
    context: string,
    dynamic = false
  ): void {
    const owner = objects.find(
      (object) => this.schema.field(object, name.value) !== undefined
    );
    if (owner === undefined) {
      this.report(
        name.line,
        `unknown field ${objects.join('|')}.${name.value} (${context})`
      );
      return;
    }
    if (dynamic) return;
    this.editionDependent(owner, name.value, name.line, context);
  }

  /** A static use of a field that only some orgs have: reach it through describe and SObject.get instead. */
  private editionDependent(
    object: string,
    field: string,
    line: number,
    context: string
  ): void {
    const reason = this.schema.editionDependence(object, field);
    if (reason === undefined) return;
    this.report(
      line,
      `${object}.${field} may not exist in the target org (${reason}); a static reference (${context}) fails the whole deploy there: read it dynamically (describe, then SObject.get)`
    );
  }

  // ── SOQL ─────────────────────────────────────────────────────────────────

  /**
   * Checks one query. `inner` is the child object of a subquery in a select list; a top-level
   * query or a semi-join names its object in FROM. Returns the queried object, if known.
   */
  private checkQuery(query: AstNode, inner: string | undefined): string[] {
    const from = children(child(query, 'from') ?? {}, 'exprs')[0];
    const table = fieldIdentifierPath(from ? child(from, 'table') : undefined);
    const alias = from ? identifier(optional(from, 'alias'))?.value : undefined;
    let objectName = inner;
    if (objectName === undefined) {
      const tableName = table.map((name) => name.value).join('.');
      objectName = this.schema.object(tableName)?.name;
      if (objectName === undefined) {
        this.report(
          table[0]?.line ?? lineOf(query),
          `unknown object ${tableName} (SOQL FROM)`
        );
      }
    }
    const scope: QueryScope | undefined =
      objectName === undefined ? undefined : { objects: [objectName], alias };
    for (const expr of children(child(query, 'select') ?? {}, 'exprs')) {
      switch (kind(expr)) {
        case 'SelectExpr$SelectColumnExpr':
          this.walkSoql(expr, scope);
          break;
        case 'SelectExpr$SelectInnerQuery':
          this.checkSubquery(child(expr, 'query'), objectName);
          break;
        case 'SelectExpr$SelectCaseExpr':
          // TYPEOF: each WHEN branch names another object's fields; not checked.
          break;
        default:
          this.walkSoql(expr, scope);
      }
    }
    for (const [key, value] of Object.entries(query)) {
      if (key !== 'select' && key !== 'from' && key !== 'loc')
        this.walkSoqlValue(value, scope);
    }
    return objectName === undefined ? [] : [objectName];
  }

  private checkSubquery(
    query: AstNode | undefined,
    parent: string | undefined
  ): void {
    if (query === undefined || parent === undefined) return;
    const from = children(child(query, 'from') ?? {}, 'exprs')[0];
    const relationship = fieldIdentifierPath(
      from ? child(from, 'table') : undefined
    ).at(-1);
    if (relationship === undefined) return;
    const childObject = this.schema.childRelationship(
      parent,
      relationship.value
    );
    if (childObject === undefined) {
      this.report(
        relationship.line,
        `unknown child relationship ${parent}.${relationship.value} (SOQL subquery)`
      );
      return;
    }
    this.checkQuery(query, childObject);
  }

  private walkSoqlValue(
    value: AstValue | undefined,
    scope: QueryScope | undefined
  ): void {
    if (Array.isArray(value)) {
      for (const item of value) this.walkSoqlValue(item, scope);
    } else if (isNode(value)) {
      this.walkSoql(value, scope);
    }
  }

  private walkSoql(node: AstNode, scope: QueryScope | undefined): void {
    if (isApexExpression(node)) {
      // A bind (`:records`, `:inc.AccountId`) is Apex, checked with the method's variables.
      this.evaluate(node);
      return;
    }
    switch (className(node)) {
      case 'apex.jorje.data.soql.Query':
        this.checkQuery(node, undefined);
        return;
      case 'apex.jorje.data.soql.Field':
        if (scope)
          this.checkSoqlPath(scope, fieldIdentifierPath(child(node, 'field')));
        return;
      case 'apex.jorje.data.soql.DistanceFunctionExpr':
        if (scope)
          this.checkSoqlPath(scope, fieldIdentifierPath(child(node, 'field')));
        this.walkSoqlValue(node.location, scope);
        return;
      default:
        for (const [key, value] of Object.entries(node)) {
          if (key !== 'loc') this.walkSoqlValue(value, scope);
        }
    }
  }

  /** `Name`, `Account.Owner.Email`, `a.Name` (FROM alias) or `Incident.Subject` (object-qualified). */
  private checkSoqlPath(scope: QueryScope, path: Name[]): void {
    let segments = path;
    const first = segments[0];
    const [objectName] = scope.objects;
    if (
      first !== undefined &&
      segments.length > 1 &&
      objectName !== undefined
    ) {
      const isAlias =
        scope.alias !== undefined && lower(first.value) === lower(scope.alias);
      const isObjectPrefix =
        lower(first.value) === lower(objectName) &&
        this.parentTargets(scope.objects, first.value) === undefined;
      if (isAlias || isObjectPrefix) segments = segments.slice(1);
    }
    let objects = scope.objects;
    for (const segment of segments.slice(0, -1)) {
      const targets = this.parentTargets(objects, segment.value);
      if (targets === undefined) {
        this.report(
          segment.line,
          `unknown relationship ${objects.join('|')}.${segment.value} (SOQL)`
        );
        return;
      }
      this.lookupThrough(objects, segment, 'SOQL relationship');
      objects = targets;
    }
    const last = segments.at(-1);
    if (last) this.fieldOf(objects, last, 'SOQL');
  }
}

/** Problems for every field reference in one parsed class or trigger that the schema lacks. */
export function fieldReferenceProblems(
  file: string,
  unit: AstNode,
  schema: SchemaIndex,
  methods: MethodIndex = indexMethods([unit])
): Problem[] {
  const walker = new FieldReferenceWalker(file, schema, methods);
  walker.run(unit);
  return walker.problems;
}
