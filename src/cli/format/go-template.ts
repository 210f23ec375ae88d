// Public API of the Go text/template interpreter used for Docker-style --format flags.
import { Executor, TemplateExecError } from './go-template-exec.js';
import { type FuncMap, builtinFuncs, dockerFuncs, headerFuncs } from './go-template-funcs.js';
import { type ParsedTemplate, TemplateSyntaxError, parse } from './go-template-parse.js';

export { TemplateExecError, TemplateSyntaxError, builtinFuncs, dockerFuncs, headerFuncs };
export type { FuncDef, FuncMap, ParamType } from './go-template-funcs.js';
export { formatValue, sprint, sprintf, sprintln } from './go-template-fmt.js';
export { goJSON } from './go-template-funcs.js';

export interface ParseOptions {
  /** Extra functions available to the template (checked at parse time, like template.Funcs). */
  funcs?: FuncMap;
  /** Template name used in error messages; Docker uses "". */
  name?: string;
}

export interface ExecuteOptions {
  /** Functions overriding those given at parse time (like tmpl.Funcs(HeaderFunctions)). */
  funcs?: FuncMap;
  /** 'empty' makes missing map keys render as "" (Go map[string]string), default '<no value>'. */
  missingKey?: 'invalid' | 'empty';
}

export class Template {
  constructor(private readonly tree: ParsedTemplate, private readonly funcs: FuncMap, readonly name: string) {}

  /** Runs the template; throws TemplateExecError on failure. */
  execute(data: unknown, opts: ExecuteOptions = {}): string {
    const r = this.tryExecute(data, opts);
    if (r.error) throw r.error;
    return r.output;
  }

  /** Runs the template, returning output written before any error (as Go's Execute does to its writer). */
  tryExecute(data: unknown, opts: ExecuteOptions = {}): { output: string; error?: Error } {
    const ex = new Executor(this.tree, {
      funcs: { ...this.funcs, ...(opts.funcs ?? {}) },
      missingKey: opts.missingKey ?? 'invalid',
      name: this.name,
    });
    try {
      ex.run(data);
      return { output: ex.out.join('') };
    } catch (e) {
      return { output: ex.out.join(''), error: e instanceof Error ? e : new Error(String(e)) };
    }
  }
}

/** Parses like Docker's templates.Parse: Go builtins plus Docker's basic functions. */
export function parseTemplate(src: string, opts: ParseOptions = {}): Template {
  const funcs: FuncMap = { ...builtinFuncs, ...dockerFuncs, ...(opts.funcs ?? {}) };
  const name = opts.name ?? '';
  const tree = parse(src, (n) => Object.prototype.hasOwnProperty.call(funcs, n), name);
  return new Template(tree, funcs, name);
}

export function renderTemplate(src: string, data: unknown, opts: ParseOptions & ExecuteOptions = {}): string {
  return parseTemplate(src, opts).execute(data, opts);
}
