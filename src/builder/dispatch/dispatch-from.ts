// FROM: the stage's base (an earlier stage by name, `scratch`, or an image), its config as the stage's
// starting run config, and the base image's ONBUILD triggers, run now ("# Executing N build triggers").
import type { Stage } from '../dockerfile/instructions/commands.js';
import { expandFromLine } from '../dockerfile/instructions/expand.js';
import { parseNode } from '../dockerfile/instructions/parse.js';
import { parseDockerfileText } from '../dockerfile/parser/parser.js';
import { goArch } from '../../oci/image.js';
import type { BuildImage } from './backend.js';
import { dispatch } from './dispatch.js';
import type { DispatchRequest } from './dispatch-request.js';
import { copyRunConfig, withDefaultPath } from './run-config.js';

export const SCRATCH: BuildImage = {
  id: '',
  config: { architecture: goArch(), os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, config: {} },
};

export async function initializeStage(req: DispatchRequest, stage: Stage): Promise<void> {
  const meta = req.state.buildArgs.getAllMeta();
  const { baseName } = expandFromLine(stage, req.lex, meta);
  const s = req.state;
  const earlier = req.stages.find((r) => r.name !== '' && r.name === baseName.toLowerCase());
  s.image = earlier ? earlier.image : baseName === 'scratch' ? SCRATCH : await req.backend.getImage(baseName);
  s.stageName = stage.name;
  s.runConfig = copyRunConfig(s.image.config.config ?? {});
  s.runConfig.Env = withDefaultPath(s.runConfig.Env);
  s.runConfig.OpenStdin = false;
  s.runConfig.StdinOnce = false;
  const triggers = s.runConfig.OnBuild ?? [];
  if (triggers.length === 0) return;
  s.runConfig.OnBuild = null;
  req.out.stdout(`# Executing ${triggers.length} build trigger${triggers.length > 1 ? 's' : ''}\n`);
  for (const trigger of triggers) {
    const parsed = parseDockerfileText(trigger);
    if (parsed.nodes.length !== 1) throw new Error('onbuild trigger should be a single expression');
    const inst = parseNode(parsed.nodes[0]);
    if (!('kind' in inst)) throw new Error("FROM isn't allowed as an ONBUILD trigger");
    await dispatch(req, inst);
  }
}
