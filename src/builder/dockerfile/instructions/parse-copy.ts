// COPY and ADD: sources and destination (shell or JSON form), heredoc sources, and their flags.
import { chompHeredocContent, parseHeredoc } from '../parser/heredoc.js';
import type { AddCommand, CopyCommand, SourceContent } from './commands.js';
import { baseOf, errNoDestinationArgument, type ParseRequest } from './request.js';

interface SourcesAndDest {
  sources: string[];
  sourceContents: SourceContent[];
  dest: string;
}

function parseSourcesAndDest(req: ParseRequest, command: string): SourcesAndDest {
  const srcs = req.args.slice(0, -1);
  const dest = req.args[req.args.length - 1];
  if (parseHeredocOrUndefined(dest)) throw new Error(`${command} cannot accept a heredoc as a destination`);
  const bodies = new Map(req.heredocs.map((h) => [h.name, h]));
  const sources: string[] = [];
  const sourceContents: SourceContent[] = [];
  for (const src of srcs) {
    const doc = parseHeredocOrUndefined(src);
    if (!doc) {
      sources.push(src);
      continue;
    }
    let data = bodies.get(doc.name)?.content ?? '';
    if (doc.chomp) data = chompHeredocContent(data);
    sourceContents.push({ path: doc.name, data, expand: doc.expand });
  }
  return { sources, sourceContents, dest };
}

/** MustParseHeredoc: a word that fails to lex is simply not a heredoc. */
function parseHeredocOrUndefined(word: string) {
  try {
    return parseHeredoc(word);
  } catch {
    return undefined;
  }
}

export function parseCopy(req: ParseRequest): CopyCommand {
  if (req.args.length < 2) throw errNoDestinationArgument('COPY');
  const chown = req.flags.addString('chown', '');
  const from = req.flags.addString('from', '');
  const chmod = req.flags.addString('chmod', '');
  const link = req.flags.addBool('link', false);
  req.flags.parse();
  return {
    kind: 'copy',
    ...baseOf(req),
    ...parseSourcesAndDest(req, 'COPY'),
    from: from.value,
    chown: chown.value,
    chmod: chmod.value,
    link: link.isTrue,
  };
}

export function parseAdd(req: ParseRequest): AddCommand {
  if (req.args.length < 2) throw errNoDestinationArgument('ADD');
  const chown = req.flags.addString('chown', '');
  const chmod = req.flags.addString('chmod', '');
  const link = req.flags.addBool('link', false);
  const keepGitDir = req.flags.addBool('keep-git-dir', false);
  const checksum = req.flags.addString('checksum', '');
  req.flags.parse();
  return {
    kind: 'add',
    ...baseOf(req),
    ...parseSourcesAndDest(req, 'ADD'),
    chown: chown.value,
    chmod: chmod.value,
    link: link.isTrue,
    keepGitDir: keepGitDir.isTrue,
    checksum: checksum.value,
  };
}
