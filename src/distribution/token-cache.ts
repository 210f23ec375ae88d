// Bearer tokens by (realm, service, scopes, user), kept until shortly before they expire. One cache per
// daemon, so pulls and pushes to the same repository share tokens.

interface Entry {
  token: string;
  expiresAt: number;
}

/** Docker's minimum token lifetime when the server gives none (or a shorter one). */
const MIN_LIFETIME_S = 60;

export class TokenCache {
  private readonly entries = new Map<string, Entry>();

  static key(realm: string, service: string, scopes: string[], user: string): string {
    return JSON.stringify([realm, service, [...scopes].sort(), user]);
  }

  get(key: string, now = Date.now()): string | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return e.token;
  }

  /** `expiresIn` seconds as the token server said; a margin keeps us from sending a token about to expire. */
  set(key: string, token: string, expiresIn: number | undefined, now = Date.now()): void {
    const lifetime = Math.max(expiresIn ?? MIN_LIFETIME_S, MIN_LIFETIME_S);
    this.entries.set(key, { token, expiresAt: now + (lifetime - 10) * 1000 });
    if (this.entries.size > 1000) this.entries.delete(this.entries.keys().next().value as string);
  }
}
