/** Salesforce REST error shapes: `[{ message, errorCode, fields }]` with the platform's status codes. */
export interface ErrorEntry {
  message: string;
  errorCode: string;
  fields?: string[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields?: string[]
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): ErrorEntry[] {
    return [this.entry()];
  }

  entry(): ErrorEntry {
    return this.fields
      ? {
          message: this.message,
          errorCode: this.errorCode,
          fields: this.fields
        }
      : { message: this.message, errorCode: this.errorCode };
  }
}

/** A record-level failure (validation, duplicates): 400 on single-record routes, a per-record result in batches. */
export class RecordError extends ApiError {
  constructor(errorCode: string, message: string, fields: string[] = []) {
    super(400, errorCode, message, fields);
  }
}

export const notFound = (
  what = 'The requested resource does not exist'
): ApiError => new ApiError(404, 'NOT_FOUND', what);

export const malformedId = (type: string, id: string): ApiError =>
  new ApiError(
    400,
    'MALFORMED_ID',
    `${type} ID: id value of incorrect type: ${id}`
  );

/** The platform's 404 for an upsert or retrieve by an unknown external id field (or a record URL's id of another type). */
export const externalIdNotFound = (name: string): ApiError =>
  new ApiError(
    404,
    'NOT_FOUND',
    `Provided external ID field does not exist or is not accessible: ${name}`
  );

/** A batch record (collection or Bulk API row) that names no Id for an update or delete. */
export const missingId = (call: 'update' | 'delete'): RecordError =>
  new RecordError(
    'MISSING_ARGUMENT',
    `Id not specified in ${call === 'update' ? 'an update' : 'a delete'} call`,
    ['Id']
  );

export const badRequestBody = (message: string): ApiError =>
  new ApiError(400, 'JSON_PARSER_ERROR', message);

/** The platform answers an unknown sObject type in a URL with a plain 404. */
export const unknownType = (name: string): ApiError =>
  new ApiError(
    404,
    'NOT_FOUND',
    `The requested resource does not exist (sObject type '${name}' is not supported)`
  );
