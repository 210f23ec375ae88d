// Variable substitution at dispatch time, in exactly the instructions Docker's classic builder expands:
// ENV (keys and values), LABEL, ADD/COPY (sources, destination, --chown, --chmod, ADD --checksum), WORKDIR,
// USER, VOLUME, STOPSIGNAL, ARG (name and default) and EXPOSE (which may split a word into several ports).
// RUN, CMD, ENTRYPOINT, SHELL, HEALTHCHECK, MAINTAINER and ONBUILD are left to the shell / the trigger;
// FROM is expanded with the global ARGs only (expandFromLine); COPY --from is not expanded.
import { DockerfileError } from '../dockerfile-error.js';
import { ShellLex, type Env } from '../shell/lex.js';
import type { Command, KeyValuePair, SourceContent, Stage } from './commands.js';

/**
 * The command with its words expanded against `env` (the stage's ENV then the declared build args, ENV
 * winning). Every word of one instruction sees the same `env`: `ENV A=2 B=$A` gives B the old A.
 * Throws LexError ("failed to process \"${X:?}\": X: is not allowed to be unset").
 */
export function expandCommand(cmd: Command, lex: ShellLex, env: Env): Command {
  const word = (w: string) => lex.processWord(w, env);
  const kvps = (list: KeyValuePair[]) => list.map((p) => ({ ...p, key: word(p.key), value: word(p.value) }));
  switch (cmd.kind) {
    case 'env':
      return { ...cmd, env: kvps(cmd.env) };
    case 'label':
      return cmd.noExpand ? cmd : { ...cmd, labels: kvps(cmd.labels) };
    case 'copy':
    case 'add': {
      const x = {
        ...cmd,
        sources: cmd.sources.map(word),
        dest: word(cmd.dest),
        chown: word(cmd.chown),
        chmod: word(cmd.chmod),
        sourceContents: cmd.sourceContents.map((c) => expandSourceContent(c, env)),
      };
      return x.kind === 'add' ? { ...x, checksum: word(x.checksum) } : x;
    }
    case 'workdir':
      return { ...cmd, path: word(cmd.path) };
    case 'user':
      return { ...cmd, user: word(cmd.user) };
    case 'volume':
      return { ...cmd, volumes: cmd.volumes.map(word) };
    case 'stopsignal':
      return { ...cmd, signal: word(cmd.signal) };
    case 'arg':
      return {
        ...cmd,
        args: cmd.args.map((a) => (a.value === undefined ? { key: word(a.key) } : { key: word(a.key), value: word(a.value) })),
      };
    case 'expose':
      // The one instruction whose words may split: EXPOSE $PORTS with PORTS="80 443" exposes both.
      return { ...cmd, ports: cmd.ports.flatMap((p) => lex.processWords(p, env)) };
    default:
      return cmd;
  }
}

/** Heredoc bodies are expanded like a shell would (quotes kept) unless their delimiter was quoted. */
export function expandHeredocContent(data: string, env: Env): string {
  return new ShellLex('\\', { skipProcessQuotes: true }).processWord(data, env);
}

function expandSourceContent(c: SourceContent, env: Env): SourceContent {
  return c.expand ? { ...c, data: expandHeredocContent(c.data, env) } : c;
}

/**
 * FROM's image and --platform with the global ARGs (and --build-arg overrides of them). An image that
 * expands to "" is refused as Docker does.
 */
export function expandFromLine(stage: Stage, lex: ShellLex, metaEnv: Env): { baseName: string; platform: string } {
  const baseName = lex.processWord(stage.baseName, metaEnv);
  if (baseName === '') throw new DockerfileError(`base name (${stage.baseName}) should not be blank`, stage.location.startLine);
  return { baseName, platform: stage.platform === '' ? '' : lex.processWord(stage.platform, metaEnv) };
}
