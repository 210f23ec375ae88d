// Error kinds, as containerd's errdefs: code says what went wrong, the HTTP
// status is chosen in exactly one place (server/httpstatus.ts).
export type ErrorKind =
  | 'NotFound'
  | 'InvalidArgument'
  | 'Conflict'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotModified'
  | 'Unavailable'
  | 'NotImplemented'
  | 'Internal';

export class BerthError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = `${kind}Error`;
  }
}

export const notFound = (message: string) => new BerthError('NotFound', message);
export const invalidArgument = (message: string) => new BerthError('InvalidArgument', message);
export const conflict = (message: string) => new BerthError('Conflict', message);
export const notModified = (message = '') => new BerthError('NotModified', message);
export const unavailable = (message: string) => new BerthError('Unavailable', message);
export const notImplemented = (message: string) => new BerthError('NotImplemented', message);
export const forbidden = (message: string) => new BerthError('Forbidden', message);
export const internal = (message: string, cause?: unknown) =>
  new BerthError('Internal', message, { cause });

export function kindOf(err: unknown): ErrorKind {
  return err instanceof BerthError ? err.kind : 'Internal';
}

export function isNotFound(err: unknown): boolean {
  return kindOf(err) === 'NotFound';
}
