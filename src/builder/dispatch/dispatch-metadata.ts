// The instructions that only change the image's config (moby dispatchers.go): ENV, LABEL, MAINTAINER,
// EXPOSE, VOLUME, USER, STOPSIGNAL, ARG, SHELL, CMD, ENTRYPOINT, HEALTHCHECK, ONBUILD. Each commits with
// Docker's "#(nop)" comment, which is also its cache key.
import { parseSignal } from '../../core/signals.js';
import type {
  ArgCommand,
  CmdCommand,
  EntrypointCommand,
  EnvCommand,
  ExposeCommand,
  HealthcheckCommand,
  LabelCommand,
  ShellDependentCmdLine,
} from '../dockerfile/instructions/commands.js';
import { exposedPortKeys } from '../dockerfile/instructions/expose-ports.js';
import { commit, type DispatchRequest } from './dispatch-request.js';
import { formatHealthcheck, getShell, goQuoteSlice, goSlice, setEnv } from './run-config.js';
import type { ContainerConfig } from '../../api/types.js';

/** ENV/LABEL pairs print as key=value, unquoted (instructions.KeyValuePair.String). */
const kv = (p: { key: string; value: string }) => `${p.key}=${p.value}`;

export async function dispatchEnv(req: DispatchRequest, c: EnvCommand): Promise<void> {
  const rc = req.state.runConfig;
  rc.Env = [...(rc.Env ?? [])];
  for (const p of c.env) setEnv(rc.Env, p.key, p.value);
  await commit(req, ['ENV', ...c.env.map(kv)].join(' '));
}

export async function dispatchLabel(req: DispatchRequest, c: LabelCommand): Promise<void> {
  const rc = req.state.runConfig;
  rc.Labels = { ...(rc.Labels ?? {}) };
  for (const p of c.labels) rc.Labels[p.key] = p.value;
  await commit(req, ['LABEL', ...c.labels.map(kv)].join(' '));
}

export async function dispatchMaintainer(req: DispatchRequest, maintainer: string): Promise<void> {
  req.state.maintainer = maintainer;
  await commit(req, `MAINTAINER ${maintainer}`);
}

export async function dispatchExpose(req: DispatchRequest, c: ExposeCommand): Promise<void> {
  const rc = req.state.runConfig;
  rc.ExposedPorts = { ...(rc.ExposedPorts ?? {}) };
  for (const key of exposedPortKeys(c.ports)) rc.ExposedPorts[key] = {};
  await commit(req, `EXPOSE ${c.ports.join(' ')}`);
}

export async function dispatchVolume(req: DispatchRequest, volumes: string[]): Promise<void> {
  const rc = req.state.runConfig;
  rc.Volumes = { ...(rc.Volumes ?? {}) };
  for (const v of volumes) {
    if (v === '') throw new Error('VOLUME specified can not be an empty string');
    rc.Volumes[v] = {};
  }
  await commit(req, `VOLUME ${goSlice(volumes)}`);
}

export async function dispatchUser(req: DispatchRequest, user: string): Promise<void> {
  req.state.runConfig.User = user;
  await commit(req, `USER ${user}`);
}

export async function dispatchStopSignal(req: DispatchRequest, signal: string): Promise<void> {
  parseSignal(signal);
  req.state.runConfig.StopSignal = signal;
  await commit(req, `STOPSIGNAL ${signal}`);
}

export async function dispatchArg(req: DispatchRequest, c: ArgCommand): Promise<void> {
  const words: string[] = [];
  for (const a of c.args) {
    words.push(a.value === undefined ? a.key : `${a.key}=${a.value}`);
    req.state.buildArgs.addArg(a.key, a.value);
  }
  await commit(req, `ARG ${words.join(' ')}`);
}

export async function dispatchShell(req: DispatchRequest, shell: string[]): Promise<void> {
  req.state.runConfig.Shell = [...shell];
  await commit(req, `SHELL ${goSlice(shell)}`);
}

/** Shell form gets the SHELL prepended; exec form is taken as is (moby resolveCmdLine). */
export function resolveCmdLine(c: ShellDependentCmdLine, rc: ContainerConfig): string[] | null {
  if (c.cmdLine === null) return null;
  return c.prependShell ? [...getShell(rc), ...c.cmdLine] : [...c.cmdLine];
}

export async function dispatchCmd(req: DispatchRequest, c: CmdCommand): Promise<void> {
  const rc = req.state.runConfig;
  const cmd = resolveCmdLine(c, rc) ?? [];
  rc.Cmd = cmd;
  rc.ArgsEscaped = undefined;
  await commit(req, `CMD ${goQuoteSlice(cmd)}`);
  if ((c.cmdLine ?? []).length !== 0) req.state.cmdSet = true;
}

export async function dispatchEntrypoint(req: DispatchRequest, c: EntrypointCommand): Promise<void> {
  const rc = req.state.runConfig;
  rc.Entrypoint = resolveCmdLine(c, rc);
  rc.ArgsEscaped = undefined;
  // An ENTRYPOINT drops the base image's CMD unless this stage set one (moby: cmdSet).
  if (!req.state.cmdSet) rc.Cmd = null;
  await commit(req, `ENTRYPOINT ${goQuoteSlice(rc.Entrypoint)}`);
}

export async function dispatchHealthcheck(req: DispatchRequest, c: HealthcheckCommand): Promise<void> {
  const rc = req.state.runConfig;
  const old = rc.Healthcheck?.Test;
  if (old && old.length > 0 && old[0] !== 'NONE') req.out.stdout(`Note: overriding previous HEALTHCHECK: ${goSlice(old)}\n`);
  rc.Healthcheck = { ...c.health };
  await commit(req, `HEALTHCHECK ${formatHealthcheck(c.health)}`);
}

export async function dispatchOnbuild(req: DispatchRequest, expression: string): Promise<void> {
  const rc = req.state.runConfig;
  rc.OnBuild = [...(rc.OnBuild ?? []), expression];
  await commit(req, `ONBUILD ${expression}`);
}
