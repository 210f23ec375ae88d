// Parser for Go text/template, mirroring text/template/parse/parse.go so that
// accepted syntax and error messages ("template: :1: ...") match Go's.
import { type Item, type ItemType, itemString, lex } from './go-template-lex.js';
import { goQuote, parseNumber, unquote } from './go-template-strconv.js';

export interface FieldNode { type: 'field'; pos: number; ident: string[] }
export interface VariableNode { type: 'variable'; pos: number; ident: string[] }
export interface ChainNode { type: 'chain'; pos: number; node: ArgNode; field: string[] }
export interface IdentifierNode { type: 'identifier'; pos: number; name: string }
export interface DotNode { type: 'dot'; pos: number }
export interface NilNode { type: 'nil'; pos: number }
export interface BoolNode { type: 'bool'; pos: number; value: boolean }
export interface NumberNode { type: 'number'; pos: number; value: number; text: string }
export interface StringNode { type: 'string'; pos: number; quoted: string; text: string }
export interface PipeNode {
  type: 'pipe'; pos: number; line: number; isAssign: boolean; decl: VariableNode[]; cmds: CommandNode[];
}
export type ArgNode =
  | FieldNode | VariableNode | ChainNode | IdentifierNode | DotNode | NilNode | BoolNode | NumberNode
  | StringNode | PipeNode;
export interface CommandNode { type: 'command'; pos: number; args: ArgNode[] }

export interface ListNode { type: 'list'; pos: number; nodes: Node[] }
export interface TextNode { type: 'text'; pos: number; text: string }
export interface ActionNode { type: 'action'; pos: number; line: number; pipe: PipeNode }
export interface BranchNode {
  type: 'if' | 'with' | 'range'; pos: number; line: number; pipe: PipeNode; list: ListNode; elseList: ListNode | null;
}
export interface TemplateNode { type: 'template'; pos: number; line: number; name: string; pipe: PipeNode | null }
export interface LoopControlNode { type: 'break' | 'continue'; pos: number; line: number }
export type Node = ListNode | TextNode | ActionNode | BranchNode | TemplateNode | LoopControlNode;

interface EndNode { type: 'end'; pos: number }
interface ElseNode { type: 'else'; pos: number }
type ItemNode = Node | EndNode | ElseNode;

export interface ParsedTemplate {
  root: ListNode;
  defines: Map<string, ListNode>;
  source: string;
}

/** String form of a node, as Go's Node.String(); used in error contexts. */
export function nodeString(n: ArgNode | CommandNode | Node): string {
  switch (n.type) {
    case 'field': return '.' + n.ident.join('.');
    case 'variable': return n.ident.join('.');
    case 'chain': return (n.node.type === 'pipe' ? `(${nodeString(n.node)})` : nodeString(n.node)) + '.' + n.field.join('.');
    case 'identifier': return n.name;
    case 'dot': return '.';
    case 'nil': return 'nil';
    case 'bool': return String(n.value);
    case 'number': return n.text;
    case 'string': return n.quoted;
    case 'command':
      return n.args.map((a) => (a.type === 'pipe' ? `(${nodeString(a)})` : nodeString(a))).join(' ');
    case 'pipe': {
      const decl = n.decl.length ? n.decl.map((v) => v.ident.join('.')).join(', ') + (n.isAssign ? ' = ' : ' := ') : '';
      return decl + n.cmds.map(nodeString).join(' | ');
    }
    case 'action': return `{{${nodeString(n.pipe)}}}`;
    case 'text': return goQuote(n.text);
    case 'list': return n.nodes.map(nodeString).join('');
    case 'if': case 'with': case 'range': return `{{${n.type} ${nodeString(n.pipe)}}}`;
    case 'template': return `{{template ${goQuote(n.name)}${n.pipe ? ' ' + nodeString(n.pipe) : ''}}}`;
    case 'break': case 'continue': return `{{${n.type}}}`;
  }
}

export class TemplateSyntaxError extends Error {
  override name = 'TemplateSyntaxError';
}

export function parse(src: string, hasFunction: (name: string) => boolean, parseName = ''): ParsedTemplate {
  const items = lex(src, { breakOK: !hasFunction('break'), continueOK: !hasFunction('continue') });
  let idx = 0;
  let vars: string[] = ['$'];
  let rangeDepth = 0;
  let lastLine = 1;
  const defines = new Map<string, ListNode>();

  const fail = (msg: string): never => {
    throw new TemplateSyntaxError(`template: ${parseName}:${lastLine}: ${msg}`);
  };
  const nextItem = (): Item => {
    const it = items[Math.min(idx, items.length - 1)]!;
    idx++;
    lastLine = it.line;
    return it;
  };
  const backup = (n = 1): void => {
    idx -= n;
  };
  const peek = (): Item => items[Math.min(idx, items.length - 1)]!;
  const nextNonSpace = (): Item => {
    let it: Item;
    do it = nextItem();
    while (it.typ === 'space');
    return it;
  };
  const peekNonSpace = (): Item => {
    const it = nextNonSpace();
    backup();
    return it;
  };
  const unexpected = (it: Item, context: string): never => {
    if (it.typ === 'error') fail(it.val);
    return fail(`unexpected ${itemString(it)} in ${context}`);
  };
  const expect = (typ: ItemType, context: string): Item => {
    const it = nextNonSpace();
    if (it.typ !== typ) unexpected(it, context);
    return it;
  };

  const textOrAction = (): ItemNode => {
    const it = nextNonSpace();
    switch (it.typ) {
      case 'text': return { type: 'text', pos: it.pos, text: it.val };
      case 'leftDelim': return action();
      default: return unexpected(it, 'input');
    }
  };

  const action = (): ItemNode => {
    const it = nextNonSpace();
    switch (it.typ) {
      case 'block': return blockControl(it);
      case 'break': case 'continue': return loopControl(it);
      case 'else': return elseControl();
      case 'end': return { type: 'end', pos: expect('rightDelim', 'end').pos };
      case 'if': case 'range': case 'with': return branch(it.typ);
      case 'template': return templateControl(it);
    }
    backup();
    const tok = peek();
    return { type: 'action', pos: tok.pos, line: tok.line, pipe: pipeline('command', 'rightDelim') };
  };

  const loopControl = (it: Item): LoopControlNode => {
    const tok = nextNonSpace();
    if (tok.typ !== 'rightDelim') unexpected(tok, `{{${it.val}}}`);
    if (rangeDepth === 0) fail(`{{${it.val}}} outside {{range}}`);
    return { type: it.typ as 'break' | 'continue', pos: it.pos, line: it.line };
  };

  const elseControl = (): ElseNode => {
    const p = peekNonSpace();
    // "{{else if" / "{{else with" leave the keyword pending for the enclosing control.
    if (p.typ === 'if' || p.typ === 'with') return { type: 'else', pos: p.pos };
    return { type: 'else', pos: expect('rightDelim', 'else').pos };
  };

  const itemList = (): [ListNode, ItemNode] => {
    const list: ListNode = { type: 'list', pos: peekNonSpace().pos, nodes: [] };
    while (peekNonSpace().typ !== 'eof') {
      const n = textOrAction();
      if (n.type === 'end' || n.type === 'else') return [list, n];
      list.nodes.push(n);
    }
    return fail('unexpected EOF');
  };

  const branch = (context: 'if' | 'with' | 'range'): BranchNode => {
    const saved = vars.length;
    const pipe = pipeline(context, 'rightDelim');
    if (context === 'range') rangeDepth++;
    const [list, next] = itemList();
    if (context === 'range') rangeDepth--;
    let elseList: ListNode | null = null;
    if (next.type === 'else') {
      const kw = peek().typ;
      if ((context === 'if' && kw === 'if') || (context === 'with' && kw === 'with')) {
        // {{else if x}} is {{else}}{{if x}}...{{end}}{{end}}: the inner branch consumes the shared end.
        nextItem();
        elseList = { type: 'list', pos: next.pos, nodes: [branch(context)] };
      } else {
        const [el, end] = itemList();
        if (end.type !== 'end') fail(`expected end; found {{${end.type}}}`);
        elseList = el;
      }
    }
    vars = vars.slice(0, saved);
    return { type: context, pos: pipe.pos, line: pipe.line, pipe, list, elseList };
  };

  const parseTemplateName = (it: Item, context: string): string => {
    if (it.typ === 'string' || it.typ === 'rawString') return unquote(it.val, fail);
    return unexpected(it, context);
  };

  const templateControl = (kw: Item): TemplateNode => {
    const name = parseTemplateName(nextNonSpace(), '{{template}}');
    let pipe: PipeNode | null = null;
    if (nextNonSpace().typ !== 'rightDelim') {
      backup();
      pipe = pipeline('template clause', 'rightDelim');
    }
    return { type: 'template', pos: kw.pos, line: kw.line, name, pipe };
  };

  const blockControl = (kw: Item): TemplateNode => {
    const name = parseTemplateName(nextNonSpace(), '{{block}}');
    const pipe = pipeline('block clause', 'rightDelim');
    const outer = vars;
    vars = ['$'];
    const [body, end] = itemList();
    if (end.type !== 'end') fail(`unexpected {{${end.type}}} in block clause`);
    vars = outer;
    defines.set(name, body);
    return { type: 'template', pos: kw.pos, line: kw.line, name, pipe };
  };

  const define = (): void => {
    const name = parseTemplateName(nextNonSpace(), 'define clause');
    expect('rightDelim', 'define clause');
    const outer = vars;
    vars = ['$'];
    const [body, end] = itemList();
    if (end.type !== 'end') fail(`unexpected {{${end.type}}} in define clause`);
    vars = outer;
    defines.set(name, body);
  };

  const pipeline = (context: string, end: ItemType): PipeNode => {
    const first = peekNonSpace();
    const pipe: PipeNode = { type: 'pipe', pos: first.pos, line: first.line, isAssign: false, decl: [], cmds: [] };
    decls: for (;;) {
      const v = peekNonSpace();
      if (v.typ !== 'variable') break;
      nextNonSpace();
      const afterVar = peek();
      const nxt = peekNonSpace();
      if (nxt.typ === 'assign' || nxt.typ === 'declare') {
        pipe.isAssign = nxt.typ === 'assign';
        nextNonSpace();
        pipe.decl.push({ type: 'variable', pos: v.pos, ident: [v.val] });
        vars.push(v.val);
      } else if (nxt.typ === 'char' && nxt.val === ',') {
        nextNonSpace();
        pipe.decl.push({ type: 'variable', pos: v.pos, ident: [v.val] });
        vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const t = peekNonSpace().typ;
          if (t === 'variable' || t === 'rightDelim' || t === 'rightParen') continue decls;
          fail('range can only initialize variables');
        }
        fail(`too many declarations in ${context}`);
      } else if (afterVar.typ === 'space') {
        backup(2);
      } else {
        backup(1);
      }
      break;
    }
    for (;;) {
      const tok = nextNonSpace();
      if (tok.typ === end) {
        checkPipeline(pipe, context);
        return pipe;
      }
      switch (tok.typ) {
        case 'bool': case 'charConstant': case 'dot': case 'field': case 'identifier': case 'number':
        case 'nil': case 'rawString': case 'string': case 'variable': case 'leftParen':
          backup();
          pipe.cmds.push(command());
          break;
        default:
          unexpected(tok, context);
      }
    }
  };

  const checkPipeline = (pipe: PipeNode, context: string): void => {
    if (pipe.cmds.length === 0) fail(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const t = c.args[0]!.type;
      if (t === 'bool' || t === 'dot' || t === 'nil' || t === 'number' || t === 'string') {
        fail(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  };

  const command = (): CommandNode => {
    const cmd: CommandNode = { type: 'command', pos: peekNonSpace().pos, args: [] };
    for (;;) {
      peekNonSpace();
      const op = operand();
      if (op) cmd.args.push(op);
      const tok = nextItem();
      if (tok.typ === 'space') continue;
      if (tok.typ === 'rightDelim' || tok.typ === 'rightParen') backup();
      else if (tok.typ !== 'pipe') unexpected(tok, 'operand');
      break;
    }
    if (cmd.args.length === 0) fail('empty command');
    return cmd;
  };

  const operand = (): ArgNode | null => {
    const node = term();
    if (!node) return null;
    if (peek().typ !== 'field') return node;
    const fields: string[] = [];
    const pos = peek().pos;
    while (peek().typ === 'field') fields.push(nextItem().val.slice(1));
    switch (node.type) {
      case 'field': return { type: 'field', pos, ident: [...node.ident, ...fields] };
      case 'variable': return { type: 'variable', pos, ident: [...node.ident, ...fields] };
      case 'bool': case 'string': case 'number': case 'nil': case 'dot':
        return fail(`unexpected . after term ${goQuote(nodeString(node))}`);
      default: return { type: 'chain', pos, node, field: fields };
    }
  };

  const term = (): ArgNode | null => {
    const it = nextNonSpace();
    switch (it.typ) {
      case 'identifier':
        if (!hasFunction(it.val)) fail(`function ${goQuote(it.val)} not defined`);
        return { type: 'identifier', pos: it.pos, name: it.val };
      case 'dot': return { type: 'dot', pos: it.pos };
      case 'nil': return { type: 'nil', pos: it.pos };
      case 'variable':
        if (!vars.includes(it.val)) fail(`undefined variable ${goQuote(it.val)}`);
        return { type: 'variable', pos: it.pos, ident: [it.val] };
      case 'field': return { type: 'field', pos: it.pos, ident: [it.val.slice(1)] };
      case 'bool': return { type: 'bool', pos: it.pos, value: it.val === 'true' };
      case 'charConstant': {
        const s = unquote(it.val, fail);
        return { type: 'number', pos: it.pos, value: s.codePointAt(0)!, text: it.val };
      }
      case 'number': return { type: 'number', pos: it.pos, value: parseNumber(it.val, fail), text: it.val };
      case 'leftParen': return pipeline('parenthesized pipeline', 'rightParen');
      case 'string': case 'rawString':
        return { type: 'string', pos: it.pos, quoted: it.val, text: unquote(it.val, fail) };
    }
    backup();
    return null;
  };

  const root: ListNode = { type: 'list', pos: 0, nodes: [] };
  while (peek().typ !== 'eof') {
    if (peek().typ === 'leftDelim') {
      const save = idx;
      nextItem();
      if (nextNonSpace().typ === 'define') {
        define();
        continue;
      }
      idx = save;
    }
    const n = textOrAction();
    if (n.type === 'end' || n.type === 'else') fail(`unexpected {{${n.type}}}`);
    root.nodes.push(n as Node);
  }
  return { root, defines, source: src };
}
