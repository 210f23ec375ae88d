// Executor for parsed Go templates, following text/template/exec.go:
// evaluation order, variable scoping, field/method lookup and error texts.
import { formatValue, goTypeName, kindOf, mapEntries, toArray } from './go-template-fmt.js';
import { type FuncDef, type FuncMap, type ParamType, truth } from './go-template-funcs.js';
import {
  type ArgNode, type BranchNode, type ChainNode, type CommandNode, type IdentifierNode, type ListNode, type Node,
  type ParsedTemplate, type PipeNode, type TemplateNode, type VariableNode, nodeString,
} from './go-template-parse.js';
import { goQuote } from './go-template-strconv.js';

/** Marks "no value piped in", distinct from undefined (a missing value). */
const MISSING = Symbol('missing');
const BREAK = Symbol('break');
const CONTINUE = Symbol('continue');
const MAX_DEPTH = 100000;

export class TemplateExecError extends Error {
  override name = 'TemplateExecError';
}

export interface ExecOptions {
  funcs: FuncMap;
  /** 'invalid': missing map keys are <no value> (Go default for map[string]any);
   *  'empty': missing keys are "" (like Go's map[string]string, e.g. Docker's header maps). */
  missingKey: 'invalid' | 'empty';
  name: string;
}

type AnyNode = Node | ArgNode | CommandNode;
type Receiver = Record<string, unknown>;

/** Looks a property up through the prototype chain, ignoring Object.prototype members. */
function hasField(obj: object, name: string): boolean {
  for (let o: object | null = obj; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    if (Object.prototype.hasOwnProperty.call(o, name)) return true;
  }
  return false;
}

export class Executor {
  private vars: { name: string; value: unknown }[] = [];
  private node: AnyNode | null = null;
  private depth = 0;
  readonly out: string[] = [];

  constructor(private readonly tmpl: ParsedTemplate, private readonly opts: ExecOptions) {}

  run(data: unknown): void {
    this.vars = [{ name: '$', value: data }];
    this.walk(data, this.tmpl.root);
  }

  private at(node: AnyNode): void {
    this.node = node;
  }

  private fail(msg: string): never {
    const name = this.opts.name;
    if (!this.node) throw new TemplateExecError(`template: ${name}: ${msg}`);
    const src = this.tmpl.source.slice(0, this.node.pos);
    const nl = src.lastIndexOf('\n');
    const line = src.split('\n').length;
    const col = Buffer.byteLength(nl < 0 ? src : src.slice(nl + 1), 'utf8');
    const ctx = nodeString(this.node);
    throw new TemplateExecError(`template: ${name}:${line}:${col}: executing ${goQuote(name)} at <${ctx}>: ${msg}`);
  }

  private walk(dot: unknown, node: Node): void {
    this.at(node);
    switch (node.type) {
      case 'list':
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case 'text':
        this.out.push(node.text);
        return;
      case 'action': {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case 'if': case 'with':
        return this.walkIfOrWith(dot, node);
      case 'range':
        return this.walkRange(dot, node);
      case 'template':
        return this.walkTemplate(dot, node);
      case 'break':
        throw BREAK;
      case 'continue':
        throw CONTINUE;
    }
  }

  private printValue(node: Node, v: unknown): void {
    this.at(node);
    if (v === undefined || v === null) {
      this.out.push('<no value>');
      return;
    }
    if (typeof v === 'function') this.fail(`can't print ${nodeString(node)} of type ${goTypeName(v)}`);
    this.out.push(formatValue(v));
  }

  private walkIfOrWith(dot: unknown, node: BranchNode): void {
    const mark = this.vars.length;
    try {
      const val = this.evalPipeline(dot, node.pipe);
      if (truth(val)) this.walk(node.type === 'with' ? val : dot, node.list);
      else if (node.elseList) this.walk(dot, node.elseList);
    } finally {
      this.vars.length = mark;
    }
  }

  private walkRange(dot: unknown, r: BranchNode): void {
    this.at(r);
    const outer = this.vars.length;
    try {
      const val = this.evalPipeline(dot, r.pipe);
      const mark = this.vars.length;
      const { decl, isAssign } = r.pipe;
      const one = (index: unknown, elem: unknown): void => {
        if (decl.length > 0) {
          if (isAssign) this.setVar(decl[0]!.ident[0]!, decl.length > 1 ? index : elem);
          else this.vars[this.vars.length - 1]!.value = elem;
        }
        if (decl.length > 1) {
          if (isAssign) this.setVar(decl[1]!.ident[0]!, elem);
          else this.vars[this.vars.length - 2]!.value = index;
        }
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (e !== CONTINUE) throw e;
        } finally {
          this.vars.length = mark;
        }
      };
      let ran = false;
      try {
        switch (kindOf(val)) {
          case 'slice':
            toArray(val).forEach((e, i) => { ran = true; one(i, e); });
            break;
          case 'int': {
            if (decl.length > 1) this.fail(`can't use ${formatValue(val)} to iterate over more than one variable`);
            for (let i = 0; i < Number(val); i++) { ran = true; one(i, i); }
            break;
          }
          case 'map':
            for (const [k, e] of mapEntries(val as object)) { ran = true; one(k, e); }
            break;
          case 'nil':
            break; // a nil value is not an error; fall through to else
          default:
            this.fail(`range can't iterate over ${formatValue(val)}`);
        }
      } catch (e) {
        if (e === BREAK) return;
        throw e;
      }
      if (!ran && r.elseList) this.walk(dot, r.elseList);
    } finally {
      this.vars.length = outer;
    }
  }

  private walkTemplate(dot: unknown, t: TemplateNode): void {
    this.at(t);
    const body: ListNode | undefined = this.tmpl.defines.get(t.name);
    if (!body) this.fail(`template ${goQuote(t.name)} not defined`);
    if (this.depth >= MAX_DEPTH) this.fail(`exceeded maximum template depth (${MAX_DEPTH})`);
    const newDot = t.pipe ? this.evalPipeline(dot, t.pipe) : undefined;
    const saved = this.vars;
    this.vars = [{ name: '$', value: newDot }];
    this.depth++;
    try {
      this.walk(newDot, body);
    } finally {
      this.depth--;
      this.vars = saved;
    }
  }

  private varValue(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value;
    return this.fail(`undefined variable: ${name}`);
  }

  private setVar(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    this.fail(`undefined variable: ${name}`);
  }

  private evalPipeline(dot: unknown, pipe: PipeNode): unknown {
    this.at(pipe);
    let value: unknown = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      // Go digs a nil interface down to an invalid value between commands.
      if (value === null) value = undefined;
    }
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0]!, value);
      else this.vars.push({ name: v.ident[0]!, value });
    }
    return value;
  }

  private notAFunction(args: ArgNode[], final: unknown): void {
    if (args.length > 1 || final !== MISSING) this.fail(`can't give argument to non-function ${nodeString(args[0]!)}`);
  }

  private evalCommand(dot: unknown, cmd: CommandNode, final: unknown): unknown {
    const first = cmd.args[0]!;
    switch (first.type) {
      case 'field':
        this.at(first);
        return this.evalFieldChain(dot, dot, first, first.ident, cmd.args, final);
      case 'chain':
        return this.evalChain(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariable(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool': return first.value;
      case 'dot': return dot;
      case 'nil': return this.fail('nil is not a command');
      case 'number': return first.value;
      case 'string': return first.text;
    }
  }

  /** raw: return a function-valued field itself rather than invoking it (for `call`). */
  private evalArg(dot: unknown, n: ArgNode, raw = false): unknown {
    this.at(n);
    switch (n.type) {
      case 'dot': return dot;
      case 'nil': return null;
      case 'field': return this.evalFieldChain(dot, dot, n, n.ident, [n], MISSING, raw);
      case 'variable': return this.evalVariable(dot, n, [n], MISSING, raw);
      case 'pipe': return this.evalPipeline(dot, n);
      case 'identifier': return this.evalFunction(dot, n, n, [n], MISSING);
      case 'chain': return this.evalChain(dot, n, [n], MISSING, raw);
      case 'bool': return n.value;
      case 'number': return n.value;
      case 'string': return n.text;
    }
  }

  private evalVariable(dot: unknown, v: VariableNode, args: ArgNode[], final: unknown, raw = false): unknown {
    this.at(v);
    const value = this.varValue(v.ident[0]!);
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final, raw);
  }

  private evalChain(dot: unknown, chain: ChainNode, args: ArgNode[], final: unknown, raw = false): unknown {
    this.at(chain);
    if (chain.node.type === 'nil') this.fail(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, chain.node);
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final, raw);
  }

  private evalFieldChain(
    dot: unknown, recv: unknown, node: AnyNode, ident: string[], args: ArgNode[], final: unknown, raw = false,
  ): unknown {
    const n = ident.length;
    for (let i = 0; i < n - 1; i++) recv = this.evalField(dot, ident[i]!, node, [], MISSING, recv);
    return this.evalField(dot, ident[n - 1]!, node, args, final, recv, raw);
  }

  private evalField(
    dot: unknown, name: string, node: AnyNode, args: ArgNode[], final: unknown, recv: unknown, raw = false,
  ): unknown {
    if (recv === undefined) return undefined; // missing value: <no value>, as with missingkey=default
    this.at(node);
    if (recv === null) this.fail(`nil pointer evaluating interface {}.${name}`);
    const hasArgs = args.length > 1 || final !== MISSING;
    const kind = kindOf(recv);
    let found = false;
    let value: unknown;
    if (kind === 'map') {
      if (recv instanceof Map) {
        found = recv.has(name);
        value = recv.get(name);
      } else {
        found = Object.prototype.hasOwnProperty.call(recv, name);
        value = (recv as Receiver)[name];
      }
      if (!found) {
        if (hasArgs) this.fail(`${name} is not a method but has arguments`);
        return this.opts.missingKey === 'empty' ? '' : undefined;
      }
    } else if (kind === 'struct' && hasField(recv as object, name)) {
      found = true;
      value = (recv as Receiver)[name];
    }
    if (!found) this.fail(`can't evaluate field ${name} in type ${goTypeName(recv)}`);
    if (typeof value === 'function') {
      const method = value as (...a: unknown[]) => unknown;
      if (raw) return (...a: unknown[]) => method.apply(recv, a);
      const fd: FuncDef = { params: [], variadic: 'any', fn: ((...a: unknown[]) => method.apply(recv, a)) as FuncDef['fn'] };
      return this.evalCall(dot, fd, node, name, args, final);
    }
    if (hasArgs) this.fail(`${name} has arguments but cannot be invoked as function`);
    return value;
  }

  private evalFunction(dot: unknown, node: IdentifierNode, cmd: AnyNode, args: ArgNode[], final: unknown): unknown {
    this.at(node);
    const fd = this.opts.funcs[node.name];
    if (!fd) return this.fail(`${goQuote(node.name)} is not a defined function`);
    return this.evalCall(dot, fd, cmd, node.name, args, final);
  }

  /** args[0] is the function/field node itself; the rest are its arguments. */
  private evalCall(dot: unknown, fd: FuncDef, node: AnyNode, name: string, args: ArgNode[], final: unknown): unknown {
    const argNodes = args.slice(1);
    const numIn = argNodes.length + (final !== MISSING ? 1 : 0);
    const fixed = fd.params.length;
    if (fd.variadic ? numIn < fixed : numIn !== fixed) {
      this.at(node);
      this.fail(`wrong number of args for ${name}: want ${fd.variadic ? 'at least ' : ''}${fixed} got ${numIn}`);
    }
    const typeAt = (i: number): ParamType => (i < fixed ? fd.params[i]! : fd.variadic!);
    if (fd.lazy) {
      let v: unknown;
      for (const a of argNodes) {
        v = this.evalArg(dot, a);
        if (truth(v) === (fd.lazy === 'or')) return v;
      }
      return final !== MISSING ? final : v;
    }
    const argv = argNodes.map((a, i) => this.convert(this.evalArg(dot, a, i === 0 && fd.rawFirst), typeAt(i), a));
    if (final !== MISSING) argv.push(this.convert(final, typeAt(argv.length), node));
    try {
      return (fd.fn as (...a: unknown[]) => unknown)(...argv);
    } catch (e) {
      if (e instanceof TemplateExecError) throw e;
      this.at(node);
      return this.fail(`error calling ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Checks an argument against a parameter type, like Go's validateType. */
  private convert(v: unknown, t: ParamType, node: AnyNode): unknown {
    if (t === 'any') return v === undefined ? null : v;
    const want = t === 'strings' ? '[]string' : t;
    this.at(node);
    if (v === undefined || v === null) this.fail(`invalid value; expected ${want}`);
    const ok =
      t === 'string' ? typeof v === 'string'
      : t === 'int' ? kindOf(v) === 'int'
      : Array.isArray(v) && v.every((e) => typeof e === 'string');
    if (!ok) this.fail(`wrong type for value; expected ${want}; got ${goTypeName(v)}`);
    return t === 'int' ? Number(v) : v;
  }
}
