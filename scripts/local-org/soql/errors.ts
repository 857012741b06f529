/**
 * Errors the SOQL engine raises, with the error codes and message wording of the Salesforce
 * REST API, so that clients (jsforce, the sf CLI) can react to them as they would to an org.
 */

export type SoqlErrorCode =
  | 'MALFORMED_QUERY'
  | 'INVALID_FIELD'
  | 'INVALID_TYPE'
  | 'INVALID_QUERY_FILTER_OPERATOR'
  | 'NUMBER_OUTSIDE_VALID_RANGE';

export class SoqlError extends Error {
  readonly errorCode: SoqlErrorCode;

  constructor(errorCode: SoqlErrorCode, message: string) {
    super(message);
    this.name = 'SoqlError';
    this.errorCode = errorCode;
  }
}

const CUSTOM_FIELD_HINT =
  "If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.";
const CUSTOM_RELATIONSHIP_HINT =
  "If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.";

export function unsupported(construct: string): SoqlError {
  return new SoqlError(
    'MALFORMED_QUERY',
    `${construct} is not supported by the local org`
  );
}

export function malformed(message: string): SoqlError {
  return new SoqlError('MALFORMED_QUERY', message);
}

export function unknownObject(name: string): SoqlError {
  return new SoqlError(
    'INVALID_TYPE',
    `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`
  );
}

export function noSuchColumn(field: string, entity: string): SoqlError {
  return new SoqlError(
    'INVALID_FIELD',
    `No such column '${field}' on entity '${entity}'. ${CUSTOM_FIELD_HINT}`
  );
}

export function unknownRelationship(name: string): SoqlError {
  return new SoqlError(
    'INVALID_FIELD',
    `Didn't understand relationship '${name}' in field path. ${CUSTOM_RELATIONSHIP_HINT}`
  );
}

export function unknownChildRelationship(name: string): SoqlError {
  return new SoqlError(
    'INVALID_TYPE',
    `Didn't understand relationship '${name}' in FROM part of query call. ${CUSTOM_RELATIONSHIP_HINT}`
  );
}

export function wrongValueType(
  field: string,
  soapType: string,
  quoted: boolean
): SoqlError {
  const quoting = quoted
    ? 'should be enclosed in quotes'
    : 'should not be enclosed in quotes';
  return new SoqlError(
    'INVALID_FIELD',
    `value of filter criterion for field '${field}' must be of type ${soapType} and ${quoting}`
  );
}

export function invalidOperator(message: string): SoqlError {
  return new SoqlError('INVALID_QUERY_FILTER_OPERATOR', message);
}
