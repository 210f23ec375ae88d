// One instruction: its words expanded (with the stage's ENV and the build args it declared), then the
// instruction's dispatcher; afterwards the step's containers go per --rm / --force-rm (moby evaluator.go).
import type { Command } from '../dockerfile/instructions/commands.js';
import { expandCommand } from '../dockerfile/instructions/expand.js';
import { envFromList } from '../dockerfile/shell/lex.js';
import { dispatchAdd, dispatchCopy } from './dispatch-copy.js';
import * as meta from './dispatch-metadata.js';
import type { DispatchRequest } from './dispatch-request.js';
import { dispatchRun } from './dispatch-run.js';
import { dispatchWorkdir } from './dispatch-workdir.js';

/** What a step's words expand with: its ENV, then the declared build args ENV does not set. */
export function stepEnv(req: DispatchRequest): Map<string, string> {
  const env = req.state.runConfig.Env ?? [];
  return envFromList([...env, ...req.state.buildArgs.filterAllowed(env)]);
}

export async function dispatch(req: DispatchRequest, cmd: Command): Promise<void> {
  const env = stepEnv(req);
  const c = expandCommand(cmd, req.lex, env);
  let ok = false;
  try {
    await dispatchExpanded(req, c, (word) => req.lex.processWord(word, env));
    ok = true;
  } finally {
    await removeStepContainers(req, ok);
  }
}

async function dispatchExpanded(req: DispatchRequest, c: Command, expand: (word: string) => string): Promise<void> {
  switch (c.kind) {
    case 'env': return meta.dispatchEnv(req, c);
    case 'label': return meta.dispatchLabel(req, c);
    case 'maintainer': return meta.dispatchMaintainer(req, c.maintainer);
    case 'add': return dispatchAdd(req, c);
    case 'copy': return dispatchCopy(req, c);
    case 'onbuild': return meta.dispatchOnbuild(req, c.expression);
    case 'workdir': return dispatchWorkdir(req, c.path);
    case 'run': return dispatchRun(req, c, expand);
    case 'cmd': return meta.dispatchCmd(req, c);
    case 'healthcheck': return meta.dispatchHealthcheck(req, c);
    case 'entrypoint': return meta.dispatchEntrypoint(req, c);
    case 'expose': return meta.dispatchExpose(req, c);
    case 'user': return meta.dispatchUser(req, c.user);
    case 'volume': return meta.dispatchVolume(req, c.volumes);
    case 'stopsignal': return meta.dispatchStopSignal(req, c.signal);
    case 'arg': return meta.dispatchArg(req, c);
    case 'shell': return meta.dispatchShell(req, c.shell);
  }
}

/** --force-rm removes a step's containers always, --rm (the default) after a step that worked. */
async function removeStepContainers(req: DispatchRequest, ok: boolean): Promise<void> {
  const list = req.containers.splice(0);
  if (!(req.opts.forceRm || (req.opts.rm && ok))) return;
  for (const c of list) {
    if (c.real) {
      try {
        await req.backend.removeContainer(c.id);
      } catch (err) {
        req.out.stdout(`Error removing intermediate container ${c.id.slice(0, 12)}: ${(err as Error).message}\n`);
        continue;
      }
    }
    req.out.removing(c.id);
  }
}
