// The one place where error kinds become HTTP status codes.
import { kindOf, type ErrorKind } from '../errdefs/errors.js';

const STATUS: Record<ErrorKind, number> = {
  NotFound: 404,
  InvalidArgument: 400,
  Conflict: 409,
  Unauthorized: 401,
  Forbidden: 403,
  NotModified: 304,
  Unavailable: 503,
  NotImplemented: 501,
  Internal: 500,
};

export function statusOf(err: unknown): number {
  return STATUS[kindOf(err)];
}

export function errorBody(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return JSON.stringify({ message });
}
