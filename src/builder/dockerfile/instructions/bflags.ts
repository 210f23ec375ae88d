// Instruction flags (`COPY --from=x`, `RUN --mount=...`), validated per instruction as buildkit's BFlags:
// each instruction declares the flags it takes, then Parse() refuses the others with Docker's wording.

type FlagType = 'bool' | 'string' | 'strings';

export class Flag {
  value = '';
  readonly values: string[] = [];

  constructor(
    readonly name: string,
    readonly type: FlagType,
  ) {}

  get isTrue(): boolean {
    return this.value === 'true';
  }
}

export class BFlags {
  private readonly flags = new Map<string, Flag>();
  readonly used = new Map<string, Flag>();
  private setupError = '';

  constructor(readonly args: readonly string[]) {}

  addBool(name: string, def: boolean): Flag {
    const f = this.add(name, 'bool');
    f.value = def ? 'true' : 'false';
    return f;
  }

  addString(name: string, def: string): Flag {
    const f = this.add(name, 'string');
    f.value = def;
    return f;
  }

  addStrings(name: string): Flag {
    return this.add(name, 'strings');
  }

  private add(name: string, type: FlagType): Flag {
    if (this.flags.has(name)) this.setupError = `Duplicate flag defined: ${name}`;
    const f = new Flag(name, type);
    this.flags.set(name, f);
    return f;
  }

  /** Names of the flags given, in the order given. */
  usedNames(): string[] {
    return [...this.used.keys()];
  }

  isUsed(name: string): boolean {
    return this.used.has(name);
  }

  /** Checks the given flags against the declared ones; throws Docker's message for the first problem. */
  parse(): void {
    if (this.setupError) throw new Error(`Error setting up flags: ${this.setupError}`);
    for (const given of this.args) {
      if (!given.startsWith('--')) throw new Error(`Arg should start with -- : ${given}`);
      if (given === '--') return;
      let name = given.slice(2);
      let value = '';
      const eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.slice(eq + 1);
        name = name.slice(0, eq);
      }
      const flag = this.flags.get(name);
      if (!flag) throw new Error(`Unknown flag: ${name}`);
      if (this.used.has(name) && flag.type !== 'strings') throw new Error(`Duplicate flag specified: ${name}`);
      this.used.set(name, flag);
      switch (flag.type) {
        case 'bool': {
          // A bare --flag is true; --flag= is an error.
          if (eq >= 0 && value === '') throw new Error(`Missing a value on flag: ${name}`);
          const lower = value.toLowerCase();
          if (lower === '') flag.value = 'true';
          else if (lower === 'true' || lower === 'false') flag.value = lower;
          else throw new Error(`Expecting boolean value for flag ${name}, not: ${value}`);
          break;
        }
        case 'string':
          if (eq < 0) throw new Error(`Missing a value on flag: ${name}`);
          flag.value = value;
          break;
        case 'strings':
          if (eq < 0) throw new Error(`Missing a value on flag: ${name}`);
          flag.values.push(value);
          break;
      }
    }
  }
}
