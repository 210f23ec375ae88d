// An error found while reading the Dockerfile's lines (before instructions are typed). Docker reports these
// as `failed to parse Dockerfile: <message>`; the line range is kept for tools that want to point at it.
export class DockerfileSyntaxError extends Error {
  constructor(
    message: string,
    readonly startLine: number,
    readonly endLine: number = startLine,
  ) {
    super(message);
    this.name = 'DockerfileSyntaxError';
  }
}
