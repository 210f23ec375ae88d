// Creates a container, reporting a missing image the way `docker run` does.
import type { CreateRequest } from '../../../api/types.js';
import type { EngineClient } from '../../../client/client.js';
import { jsonMessages } from '../../../client/client.js';
import { ApiError } from '../../../client/transport.js';

export async function createContainer(
  client: EngineClient,
  req: CreateRequest,
  name: string | undefined,
  stderr: NodeJS.WritableStream,
  /** Pulls `ref` (with progress and credentials); a silent pull when absent. */
  pullMissing?: (ref: string) => Promise<void>,
): Promise<string> {
  try {
    return (await client.containerCreate(req, name)).Id;
  } catch (err) {
    if (!(err instanceof ApiError) || err.statusCode !== 404 || !err.message.startsWith('No such image')) throw err;
  }
  const ref = withTag(req.Image ?? '');
  stderr.write(`Unable to find image '${ref}' locally\n`);
  await (pullMissing ? pullMissing(ref) : pull(client, ref));
  return (await client.containerCreate(req, name)).Id;
}

async function pull(client: EngineClient, ref: string): Promise<void> {
  const colon = ref.lastIndexOf(':');
  const stream = await client.imageCreate({ fromImage: ref.slice(0, colon), tag: ref.slice(colon + 1) });
  for await (const m of jsonMessages(stream)) {
    if (m.errorDetail) throw new ApiError(500, m.errorDetail.message);
  }
}

function withTag(ref: string): string {
  if (ref.includes('@')) return ref;
  const slash = ref.lastIndexOf('/');
  return ref.lastIndexOf(':') > slash ? ref : `${ref}:latest`;
}
