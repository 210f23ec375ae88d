// Registry error responses as distribution's client reads them (registry/client/errors.go), so the
// texts match what dockerd prints: "manifest unknown: manifest unknown", "unauthorized: authentication
// required", "received unexpected HTTP status: 500 Internal Server Error".
import { STATUS_CODES } from 'node:http';
import { parseChallenges } from './auth-challenge.js';

/** One entry of a registry's {"errors":[{code,message,detail}]} body. */
export class RegistryError extends Error {
  constructor(
    /** The errcode value, e.g. MANIFEST_UNKNOWN, UNAUTHORIZED, DENIED (UNKNOWN when unparsed). */
    readonly code: string,
    readonly detailMessage: string,
    readonly status: number,
  ) {
    // errcode.Error.Error(): the code lowercased with spaces, then the message.
    super(`${code.toLowerCase().replace(/_/g, ' ')}: ${detailMessage}`);
    this.name = 'RegistryError';
  }
}

/** A response that is neither success nor a registry error body. */
export class UnexpectedResponseError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'UnexpectedResponseError';
  }
}

/** Default messages of the codes distribution defines (errcode descriptors). */
const CODE_MESSAGES: Record<string, string> = {
  UNAUTHORIZED: 'authentication required',
  DENIED: 'requested access to the resource is denied',
  TOOMANYREQUESTS: 'too many requests',
  UNKNOWN: 'unknown error',
};

/** `received unexpected HTTP status: 500 Internal Server Error` */
export function unexpectedStatus(status: number): UnexpectedResponseError {
  return new UnexpectedResponseError(`received unexpected HTTP status: ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd(), status);
}

/**
 * The error for a failed registry response (HandleErrorResponse): 4xx bodies are parsed (the first of
 * several errors wins, as dockerd's translatePullError keeps it), 5xx become "unexpected status".
 */
export function errorFromResponse(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
): Error {
  if (status < 400 || status >= 500) return unexpectedStatus(status);
  for (const c of parseChallenges(headers['www-authenticate'])) {
    if (c.scheme !== 'bearer') continue;
    const code = c.parameters.error === 'invalid_token' ? 'UNAUTHORIZED' : c.parameters.error === 'insufficient_scope' ? 'DENIED' : '';
    if (!code) continue;
    const parsed = parseErrorBody(status, body);
    if (parsed instanceof RegistryError) return parsed;
    return new RegistryError(code, c.parameters.error_description || CODE_MESSAGES[code], status);
  }
  const parsed = parseErrorBody(status, body);
  if (parsed instanceof UnexpectedResponseError && status === 401) {
    return new RegistryError('UNAUTHORIZED', CODE_MESSAGES.UNAUTHORIZED, status);
  }
  return parsed;
}

function parseErrorBody(status: number, body: Buffer): Error {
  const text = body.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return new UnexpectedResponseError(
      `error parsing HTTP ${status} response body: ${(err as Error).message}: ${JSON.stringify(text)}`,
      status,
    );
  }
  const obj = (json && typeof json === 'object' ? json : {}) as { details?: unknown; errors?: unknown };
  // Old token servers answer {"details": "..."}.
  if (typeof obj.details === 'string' && obj.details !== '') {
    const code = status === 401 ? 'UNAUTHORIZED' : status === 429 ? 'TOOMANYREQUESTS' : 'UNKNOWN';
    return new RegistryError(code, obj.details, status);
  }
  const errors = Array.isArray(obj.errors) ? (obj.errors as Array<{ code?: unknown; message?: unknown }>) : [];
  const first = errors.find((e) => e && typeof e === 'object');
  if (!first) {
    return new UnexpectedResponseError(
      `error parsing HTTP ${status} response body: no error details found in HTTP response body: ${JSON.stringify(text)}`,
      status,
    );
  }
  const code = typeof first.code === 'string' && first.code ? first.code.toUpperCase() : 'UNKNOWN';
  const message = typeof first.message === 'string' && first.message ? first.message : (CODE_MESSAGES[code] ?? code.toLowerCase().replace(/_/g, ' '));
  return new RegistryError(code, message, status);
}

export function isRegistryCode(err: unknown, ...codes: string[]): boolean {
  return err instanceof RegistryError && codes.includes(err.code);
}
