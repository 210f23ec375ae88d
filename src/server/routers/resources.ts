// Routes for the resources verbs (issue 3): POST /containers/{id}/update.
import type { UpdateRequest } from '../../daemon/container-update.js';
import { readJson, sendJson } from '../context.js';
import type { Router } from '../router.js';

export interface ResourcesBackend {
  containerUpdate(ref: string, body: UpdateRequest | undefined): Promise<{ Warnings: string[] | null }>;
}

export function resourcesRoutes(r: Router, b: ResourcesBackend): void {
  r.add('POST', '/containers/{id}/update', async (ctx) => {
    const body = await readJson<UpdateRequest>(ctx);
    sendJson(ctx, 200, await b.containerUpdate(ctx.params.id, body));
  });
}
