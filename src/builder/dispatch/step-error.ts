// A build step that failed with a status, as Docker's jsonmessage.JSONError: the code travels in the
// error message's errorDetail and becomes the docker CLI's exit status.
export class BuildStepError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}
