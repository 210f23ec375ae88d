// A Dockerfile the builder refuses. The message is Docker's full text (as `docker build` prints it after
// "Error response from daemon: "); the lines say where, when known. The daemon answers it with 400.
import { BerthError } from '../../errdefs/errors.js';

export class DockerfileError extends BerthError {
  constructor(
    message: string,
    readonly startLine?: number,
    readonly endLine?: number,
  ) {
    super('InvalidArgument', message);
  }
}
