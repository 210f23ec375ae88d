// `--filter key=value` flags into the API's filters JSON.
export function filtersJson(list: string[], extra: Record<string, string[]> = {}): string | undefined {
  const out: Record<string, string[]> = { ...extra };
  for (const f of list) {
    const eq = f.indexOf('=');
    if (eq < 0) throw new Error(`bad format of filter (expected name=value)`);
    const key = f.slice(0, eq).trim().toLowerCase();
    (out[key] ??= []).push(f.slice(eq + 1));
  }
  return Object.keys(out).length ? JSON.stringify(out) : undefined;
}
