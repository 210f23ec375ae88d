// WORKDIR: sets the working directory and, as Docker does at this step, creates it when the image lacks
// it (a layer holding the new directories, root 0755); an existing one makes an empty layer.
import { DirFs } from '../context/dir-fs.js';
import { cleanRel, resolveScoped } from '../context/source-fs.js';
import { imageRunConfig, probeCache, type DispatchRequest } from './dispatch-request.js';
import { LayerPlan } from './layer-plan.js';
import { newStepContainerId } from './output.js';
import { copyRunConfig, dockerConfigShape, withCmdCommentString } from './run-config.js';

/** A relative WORKDIR is relative to the current one; an absolute one is kept as written. */
export function normalizeWorkdir(current: string, requested: string): string {
  if (requested === '') throw new Error('cannot normalize nothing');
  if (requested.startsWith('/')) return requested;
  return `/${cleanRel(`${current}/${requested}`)}`;
}

export async function dispatchWorkdir(req: DispatchRequest, requested: string): Promise<void> {
  const s = req.state;
  s.runConfig.WorkingDir = normalizeWorkdir(s.runConfig.WorkingDir ?? '', requested);
  const stepConfig = withCmdCommentString(copyRunConfig(s.runConfig, { Image: s.imageId }), `WORKDIR ${s.runConfig.WorkingDir}`);
  if (await probeCache(req, stepConfig)) return;
  const container = newStepContainerId();
  req.out.runningIn(container);
  req.containers.push({ id: container, real: false });
  await req.backend.withImageRoot(s.image, async (root) => {
    const image = new DirFs(root);
    const rel = resolveScoped(image, s.runConfig.WorkingDir!);
    const existing = image.lstat(rel);
    if (existing && existing.type !== 'dir') throw new Error(`Cannot mkdir: ${s.runConfig.WorkingDir} is not a directory`);
    let layer;
    if (!existing) {
      const plan = new LayerPlan(image);
      plan.mkdirAll(rel, { uid: 0, gid: 0 });
      layer = plan.toTar();
    }
    s.image = await req.backend.createImage(s.image, layer, {
      config: imageRunConfig(s),
      containerConfig: dockerConfigShape({ ...stepConfig, Hostname: container.slice(0, 12) }),
      container,
      author: s.maintainer || undefined,
    });
  });
}
