// Method + path-pattern routing with Docker's /v1.NN/ prefixes.
import type { Handler } from './context.js';

interface Route {
  method: string;
  parts: string[];
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method, parts: pattern.split('/').filter(Boolean), handler });
    return this;
  }

  /** Path params are URL-decoded; `{name*}` swallows the rest (image names contain slashes). */
  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | 'method' | undefined {
    const parts = path.split('/').filter(Boolean);
    let methodMismatch = false;
    for (const r of this.routes) {
      const params = matchParts(r.parts, parts);
      if (!params) continue;
      if (r.method !== method && !(method === 'HEAD' && r.method === 'GET')) {
        methodMismatch = true;
        continue;
      }
      return { handler: r.handler, params };
    }
    return methodMismatch ? 'method' : undefined;
  }
}

function matchParts(pattern: string[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (p.startsWith('{') && p.endsWith('*}')) {
      // Greedy name followed by fixed suffix parts, e.g. /images/{name*}/json
      const rest = pattern.slice(i + 1);
      if (parts.length - i <= rest.length - 1 || parts.length - i < rest.length + 1) return undefined;
      const nameParts = parts.slice(i, parts.length - rest.length);
      const tail = parts.slice(parts.length - rest.length);
      if (!rest.every((r, j) => r === tail[j])) return undefined;
      params[p.slice(1, -2)] = decodeURIComponent(nameParts.join('/'));
      return params;
    }
    if (i >= parts.length) return undefined;
    if (p.startsWith('{') && p.endsWith('}')) params[p.slice(1, -1)] = decodeURIComponent(parts[i]);
    else if (p !== parts[i]) return undefined;
  }
  return pattern.length === parts.length ? params : undefined;
}

/** Splits "/v1.51/containers/json" into version and path. */
export function splitVersion(path: string): { version?: string; path: string } {
  const m = /^\/v(\d+\.\d+)(\/.*)?$/.exec(path);
  return m ? { version: m[1], path: m[2] ?? '/' } : { path };
}
