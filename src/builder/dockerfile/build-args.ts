// Build arguments as Docker's classic builder tracks them (builder/dockerfile/buildargs.go): which
// --build-arg values an ARG has declared (only those are visible to expansion and RUN), the global ARGs
// before the first FROM, and which ones were never consumed ("[Warning] One or more build-args [x] were
// not consumed").

/** Proxy variables are always passed through and never reported as unused. */
export const BUILTIN_ALLOWED_BUILD_ARGS: ReadonlySet<string> = new Set([
  'HTTP_PROXY',
  'http_proxy',
  'HTTPS_PROXY',
  'https_proxy',
  'FTP_PROXY',
  'ftp_proxy',
  'NO_PROXY',
  'no_proxy',
]);

/** A value of undefined means "declared without a value" (`ARG X`, or `--build-arg X` with X unset). */
type ArgMap = Map<string, string | undefined>;

export class BuildArgs {
  /** Args an ARG in the current stage declared. */
  private allowed: ArgMap = new Map();
  /** Args declared before the first FROM. */
  private readonly meta: ArgMap = new Map();
  /** Args any ARG declared, in any stage. */
  private readonly referenced = new Set<string>();

  /** `fromOptions`: the request's buildargs (`--build-arg`), null for a name given without a value. */
  constructor(private readonly fromOptions: ReadonlyMap<string, string | null | undefined> = new Map()) {}

  clone(): BuildArgs {
    const c = new BuildArgs(this.fromOptions);
    for (const [k, v] of this.allowed) c.allowed.set(k, v);
    for (const [k, v] of this.meta) c.meta.set(k, v);
    for (const k of this.referenced) c.referenced.add(k);
    return c;
  }

  /** A new stage starts with the global ARGs known (as defaults) but none declared. */
  forStage(): BuildArgs {
    const c = this.clone();
    c.allowed = new Map();
    return c;
  }

  mergeReferenced(other: BuildArgs): void {
    for (const k of other.referenced) this.referenced.add(k);
  }

  /** ARG before the first FROM. */
  addMetaArg(key: string, value: string | undefined): void {
    this.meta.set(key, value);
  }

  /** ARG: declares the arg for the rest of the stage. */
  addArg(key: string, value: string | undefined): void {
    this.allowed.set(key, value);
    this.referenced.add(key);
  }

  isReferencedOrNotBuiltin(key: string): boolean {
    return this.allowed.has(key) || !BUILTIN_ALLOWED_BUILD_ARGS.has(key);
  }

  /** Declared args with their effective values (--build-arg, else the ARG default, else the global one). */
  getAllAllowed(): Map<string, string> {
    return this.resolveAll(this.allowed);
  }

  /** Global args with their effective values: what FROM lines expand with. */
  getAllMeta(): Map<string, string> {
    return this.resolveAll(this.meta);
  }

  /** Declared args as KEY=value strings, skipping those `env` (KEY=value list) already sets. */
  filterAllowed(env: readonly string[]): string[] {
    const set = new Set(env.map((e) => (e.includes('=') ? e.slice(0, e.indexOf('=')) : e)));
    const out: string[] = [];
    for (const [k, v] of this.getAllAllowed()) if (!set.has(k)) out.push(`${k}=${v}`);
    return out;
  }

  /** --build-arg names no ARG declared (proxies excepted), sorted. */
  unused(): string[] {
    return [...this.fromOptions.keys()]
      .filter((k) => !this.referenced.has(k) && !BUILTIN_ALLOWED_BUILD_ARGS.has(k))
      .sort();
  }

  /** Docker's warning line for unused build args, or undefined when all were used. */
  unusedWarning(): string | undefined {
    const left = this.unused();
    return left.length > 0 ? `[Warning] One or more build-args [${left.join(' ')}] were not consumed` : undefined;
  }

  private resolveAll(source: ArgMap): Map<string, string> {
    const out = new Map<string, string>();
    for (const key of new Set([...source.keys(), ...BUILTIN_ALLOWED_BUILD_ARGS])) {
      const v = this.get(key, source);
      if (v !== undefined) out.set(key, v);
    }
    return out;
  }

  private get(key: string, source: ArgMap): string | undefined {
    const fromOption = this.fromOptions.get(key);
    if (fromOption !== undefined && fromOption !== null) return fromOption;
    const def = source.get(key);
    if (def === undefined) return this.meta.get(key) ?? undefined;
    return def;
  }
}
