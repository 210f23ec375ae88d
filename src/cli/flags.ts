// Flag definitions and a command-line parser that behaves like spf13/pflag
// (as used by cobra and the docker CLI): same syntax, same error texts.

import {
  ValueError, goQuote, goQuoteRune, parseGoBool, parseGoDuration, parseGoFloat, parseGoInt, parseGoUint,
  parseRamInBytes,
} from './flag-values.js';

export { parseGoDuration, formatGoDuration, parseRamInBytes, formatBytesSize, goQuote } from './flag-values.js';

/**
 * Flag value kinds. `stringArray` repeats (`-e A -e B`), `stringSlice` also
 * splits each value on commas, `duration` is Go syntax parsed to
 * milliseconds, `bytes` is a docker size ("512m") parsed to a byte count.
 */
export type FlagType = 'bool' | 'string' | 'stringArray' | 'stringSlice' | 'int' | 'uint' | 'float' | 'duration' | 'bytes';

export type FlagValue = boolean | string | number | string[];
export type FlagValues = Record<string, FlagValue>;

export interface FlagDef {
  name: string;
  /** One-character shorthand, e.g. 'e' for `-e`. */
  short?: string;
  type: FlagType;
  /** Default value; defaults to false / '' / 0 / [] by type. Durations in ms. */
  default?: FlagValue;
  usage: string;
  /** Parsed but not shown in help. */
  hidden?: boolean;
  /** Deprecation message: the flag is hidden and using it prints a warning. */
  deprecated?: string;
  /** The shorthand still works but prints a warning and is not shown in help. */
  shorthandDeprecated?: string;
  /** Value placeholder in help ("list", "filter", "decimal"...); defaults by type. */
  valueName?: string;
  /** Value used when the flag is given without `=value` (bool flags: "true"). */
  noOptDefault?: string;
  /** Overrides the "(default ...)" text in help ('' hides it). */
  defaultText?: string;
  /**
   * Checks (and may normalise) the raw value before conversion. Throw an
   * Error to reject it: the message becomes the tail of pflag's
   * `invalid argument "x" for "--flag" flag: <message>`.
   */
  validate?: (raw: string) => string | void;
}

export interface ParseOptions {
  /** When false, parsing stops at the first positional argument (docker run/exec/create). Default true. */
  interspersed?: boolean;
}

export interface ParseResult {
  /** Every defined flag by name, holding its default unless set on the command line. */
  values: FlagValues;
  /** Names of the flags that were set on the command line. */
  changed: Set<string>;
  /** Positional arguments (a `--` separator is not included). */
  args: string[];
  /** Deprecation notices, e.g. "Flag shorthand -h has been deprecated, use --help". */
  warnings: string[];
  /** Number of positional args seen before `--`, or -1 when there was none. */
  argsLenAtDash: number;
}

/** A command-line syntax or value error; the message is pflag's text. */
export class FlagError extends Error {
  override name = 'FlagError';
  constructor(message: string, readonly warnings: string[] = []) {
    super(message);
  }
}

/** The type's zero value, or a copy of the flag's default. */
export function defaultFlagValue(def: FlagDef): FlagValue {
  if (def.default !== undefined) return Array.isArray(def.default) ? [...def.default] : def.default;
  switch (def.type) {
    case 'bool':
      return false;
    case 'string':
      return '';
    case 'stringArray':
    case 'stringSlice':
      return [];
    default:
      return 0;
  }
}

/** The value a flag takes when given without an argument, if any. */
export function noOptValue(def: FlagDef): string | undefined {
  if (def.noOptDefault !== undefined) return def.noOptDefault;
  return def.type === 'bool' ? 'true' : undefined;
}

/** "-n, --last" or "--rm", as pflag names flags in value errors. */
export function flagDisplayName(def: FlagDef): string {
  return def.short && !def.shorthandDeprecated ? `-${def.short}, --${def.name}` : `--${def.name}`;
}

function convert(def: FlagDef, raw: string): FlagValue {
  switch (def.type) {
    case 'bool':
      return parseGoBool(raw);
    case 'string':
    case 'stringArray':
      return raw;
    case 'stringSlice':
      return raw === '' ? [] : raw.split(',');
    case 'int':
      return parseGoInt(raw);
    case 'uint':
      return parseGoUint(raw);
    case 'float':
      return parseGoFloat(raw);
    case 'duration':
      return parseGoDuration(raw);
    case 'bytes':
      return parseRamInBytes(raw);
  }
}

/** An index of flag definitions; reusable across parses. */
export class FlagSet {
  readonly defs: readonly FlagDef[];
  private readonly byName = new Map<string, FlagDef>();
  private readonly byShort = new Map<string, FlagDef>();

  constructor(defs: readonly FlagDef[]) {
    this.defs = defs;
    for (const def of defs) {
      if (this.byName.has(def.name)) throw new Error(`flag redefined: ${def.name}`);
      this.byName.set(def.name, def);
      if (def.short === undefined || def.short === '') continue;
      if ([...def.short].length !== 1) throw new Error(`${goQuote(def.short)} shorthand is more than one ASCII character`);
      const used = this.byShort.get(def.short);
      if (used) throw new Error(`unable to redefine ${goQuoteRune(def.short)} shorthand: it's already used for ${goQuote(used.name)} flag`);
      this.byShort.set(def.short, def);
    }
  }

  lookup(name: string): FlagDef | undefined {
    return this.byName.get(name);
  }

  lookupShort(short: string): FlagDef | undefined {
    return this.byShort.get(short);
  }

  /** Parses argv (without the command name). Throws FlagError. */
  parse(argv: readonly string[], options: ParseOptions = {}): ParseResult {
    const interspersed = options.interspersed ?? true;
    const values: FlagValues = {};
    for (const def of this.defs) values[def.name] = defaultFlagValue(def);
    const result: ParseResult = { values, changed: new Set(), args: [], warnings: [], argsLenAtDash: -1 };
    const fail = (message: string): never => {
      throw new FlagError(message, result.warnings);
    };

    const set = (def: FlagDef, rawIn: string): void => {
      let value: FlagValue;
      try {
        const raw = def.validate?.(rawIn) ?? rawIn;
        value = convert(def, raw);
      } catch (err) {
        const msg = err instanceof ValueError || err instanceof Error ? err.message : String(err);
        return fail(`invalid argument ${goQuote(rawIn)} for ${goQuote(flagDisplayName(def))} flag: ${msg}`);
      }
      if (def.type === 'stringArray' || def.type === 'stringSlice') {
        const add = Array.isArray(value) ? value : [value as string];
        // Like pflag, the first use replaces the default rather than appending to it.
        values[def.name] = result.changed.has(def.name) ? [...(values[def.name] as string[]), ...add] : add;
      } else {
        values[def.name] = value;
      }
      result.changed.add(def.name);
      if (def.deprecated) result.warnings.push(`Flag --${def.name} has been deprecated, ${def.deprecated}`);
    };

    let i = 0;
    const parseLong = (arg: string): void => {
      const body = arg.slice(2);
      if (body === '' || body[0] === '-' || body[0] === '=') fail(`bad flag syntax: ${arg}`);
      const eq = body.indexOf('=');
      const name = eq < 0 ? body : body.slice(0, eq);
      const def = this.byName.get(name) ?? fail(`unknown flag: --${name}`);
      let value: string;
      const noOpt = noOptValue(def);
      if (eq >= 0) value = body.slice(eq + 1);
      else if (noOpt !== undefined) value = noOpt;
      else if (i < argv.length) value = argv[i++];
      else return fail(`flag needs an argument: ${arg}`);
      set(def, value);
    };

    const parseShorts = (arg: string): void => {
      let shorthands = arg.slice(1);
      while (shorthands.length > 0) {
        const c = String.fromCodePoint(shorthands.codePointAt(0) ?? 0);
        const rest = shorthands.slice(c.length);
        const def = this.byShort.get(c) ?? fail(`unknown shorthand flag: ${goQuoteRune(c)} in -${shorthands}`);
        const noOpt = noOptValue(def);
        let value: string;
        if (rest.length > 1 && rest[0] === '=') {
          value = rest.slice(1); // -f=arg
          shorthands = '';
        } else if (noOpt !== undefined) {
          value = noOpt; // -f (bool), then continue with the next letter
          shorthands = rest;
        } else if (rest.length > 0) {
          value = rest; // -farg
          shorthands = '';
        } else if (i < argv.length) {
          value = argv[i++]; // -f arg
          shorthands = '';
        } else {
          return fail(`flag needs an argument: ${goQuoteRune(c)} in -${shorthands}`);
        }
        if (def.shorthandDeprecated) {
          result.warnings.push(`Flag shorthand -${c} has been deprecated, ${def.shorthandDeprecated}`);
        }
        set(def, value);
      }
    };

    while (i < argv.length) {
      const arg = argv[i++];
      if (arg.length < 2 || arg[0] !== '-') {
        result.args.push(arg);
        if (!interspersed) {
          result.args.push(...argv.slice(i));
          break;
        }
        continue;
      }
      if (arg === '--') {
        result.argsLenAtDash = result.args.length;
        result.args.push(...argv.slice(i));
        break;
      }
      if (arg[1] === '-') parseLong(arg);
      else parseShorts(arg);
    }
    return result;
  }
}

/** Parses argv against a list of flag definitions. Throws FlagError. */
export function parseFlags(defs: readonly FlagDef[], argv: readonly string[], options: ParseOptions = {}): ParseResult {
  return new FlagSet(defs).parse(argv, options);
}
