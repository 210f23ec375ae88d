// A typed Engine API client, one method per endpoint, named after the verb.
import type { Duplex, Readable } from 'node:stream';
import type {
  ContainerInspect,
  ContainerSummary,
  CreateRequest,
  ExecCreateRequest,
  ExecInspect,
  ExecStartRequest,
  HistoryItem,
  ImageInspect,
  ImageSearchResult,
  ImageSummary,
  JsonMessage,
  WaitResponse,
} from '../api/types.js';
import { compareVersions } from '../api/version.js';
import { call, DEFAULT_VERSION, hijack, send, socketRequest, type Endpoint } from './transport.js';

export type Query = Record<string, string | number | boolean | undefined | string[]>;

export class EngineClient {
  readonly ep: Endpoint;
  /** The daemon reads a build context directory in place (berthd's ping says so); set by ping(). */
  buildContextDir = false;

  constructor(socketPath: string) {
    this.ep = { socketPath, version: DEFAULT_VERSION };
  }

  /** HEAD /_ping; adopts the server's API version when it is older than ours. */
  ping(): Promise<{ apiVersion?: string }> {
    return new Promise((resolve, reject) => {
      const req = socketRequest(this.ep.socketPath, '/_ping', 'HEAD', { Host: 'api.moby.localhost' }, (res) => {
        res.resume();
        const v = res.headers['api-version'];
        const apiVersion = Array.isArray(v) ? v[0] : v;
        if (apiVersion && compareVersions(apiVersion, this.ep.version) < 0) this.ep.version = apiVersion;
        this.buildContextDir = res.headers['berth-build-contextdir'] === '1';
        resolve({ apiVersion });
      });
      req.on('error', reject);
      req.end();
    });
  }

  version() { return call<Record<string, unknown>>(this.ep, '/version').then((r) => r.body); }
  info() { return call<Record<string, unknown>>(this.ep, '/info').then((r) => r.body); }
  systemDf() {
    return call<{ LayersSize: number; Images: ImageSummary[]; Containers: ContainerSummary[]; Volumes: unknown[]; LogsSize?: number }>(
      this.ep,
      '/system/df',
    ).then((r) => r.body);
  }

  containerCreate(body: CreateRequest, name?: string) {
    return call<{ Id: string; Warnings: string[] }>(this.ep, '/containers/create', { method: 'POST', body, query: { name } }).then((r) => r.body);
  }
  containerResize(id: string, height: number, width: number) {
    return call(this.ep, `/containers/${enc(id)}/resize`, { method: 'POST', query: { h: String(height), w: String(width) } });
  }
  containerStart(id: string) { return call(this.ep, `/containers/${enc(id)}/start`, { method: 'POST' }); }
  containerStop(id: string, query: Query = {}) { return call(this.ep, `/containers/${enc(id)}/stop`, { method: 'POST', query }); }
  containerRestart(id: string, query: Query = {}) { return call(this.ep, `/containers/${enc(id)}/restart`, { method: 'POST', query }); }
  containerKill(id: string, signal?: string) { return call(this.ep, `/containers/${enc(id)}/kill`, { method: 'POST', query: { signal } }); }
  containerRemove(id: string, query: Query = {}) { return call(this.ep, `/containers/${enc(id)}`, { method: 'DELETE', query }); }
  containerRename(id: string, name: string) { return call(this.ep, `/containers/${enc(id)}/rename`, { method: 'POST', query: { name } }); }
  containerInspect(id: string) { return call<ContainerInspect>(this.ep, `/containers/${enc(id)}/json`).then((r) => r.body); }
  containerList(query: Query = {}) { return call<ContainerSummary[]>(this.ep, '/containers/json', { query }).then((r) => r.body); }
  containerPrune(query: Query = {}) {
    return call<{ ContainersDeleted: string[] | null; SpaceReclaimed: number }>(this.ep, '/containers/prune', { method: 'POST', query }).then((r) => r.body);
  }

  /** Starts waiting; the promise resolves when the condition is met. */
  async containerWait(id: string, condition = 'not-running'): Promise<WaitResponse> {
    const res = await send(this.ep, `/containers/${enc(id)}/wait`, { method: 'POST', query: { condition } });
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as WaitResponse;
  }

  /** Like containerWait, but resolves `ready` once the server has acknowledged the wait. */
  containerWaitReady(id: string, condition: string): { ready: Promise<void>; result: Promise<WaitResponse> } {
    let onReady!: () => void;
    let onFail!: (e: unknown) => void;
    const ready = new Promise<void>((res, rej) => ((onReady = res), (onFail = rej)));
    const result = send(this.ep, `/containers/${enc(id)}/wait`, { method: 'POST', query: { condition } }).then(
      async (res) => {
        onReady();
        const chunks: Buffer[] = [];
        for await (const c of res) chunks.push(c as Buffer);
        return JSON.parse(Buffer.concat(chunks).toString('utf8')) as WaitResponse;
      },
      (err) => {
        onFail(err);
        throw err;
      },
    );
    result.catch(() => {});
    return { ready, result };
  }

  containerLogs(id: string, query: Query): Promise<Readable> {
    return send(this.ep, `/containers/${enc(id)}/logs`, { query });
  }
  containerAttach(id: string, query: Query): Promise<Duplex> {
    return hijack(this.ep, `/containers/${enc(id)}/attach`, { query });
  }

  execCreate(container: string, body: ExecCreateRequest) {
    return call<{ Id: string }>(this.ep, `/containers/${enc(container)}/exec`, { method: 'POST', body }).then((r) => r.body);
  }
  /** Detach: true answers once the process runs; otherwise use execAttach. */
  execStart(id: string, body: ExecStartRequest) {
    return call(this.ep, `/exec/${enc(id)}/start`, { method: 'POST', body });
  }
  /** POST /exec/{id}/start hijacked: the exec's stdin/stdout/stderr. */
  execAttach(id: string, body: ExecStartRequest): Promise<Duplex> {
    return hijack(this.ep, `/exec/${enc(id)}/start`, { body: { ...body, Detach: false } });
  }
  execResize(id: string, height: number, width: number) {
    return call(this.ep, `/exec/${enc(id)}/resize`, { method: 'POST', query: { h: String(height), w: String(width) } });
  }
  execInspect(id: string) { return call<ExecInspect>(this.ep, `/exec/${enc(id)}/json`).then((r) => r.body); }

  imageList(query: Query = {}) { return call<ImageSummary[]>(this.ep, '/images/json', { query }).then((r) => r.body); }
  imageInspect(name: string) { return call<ImageInspect>(this.ep, `/images/${name}/json`).then((r) => r.body); }
  imageHistory(name: string) { return call<HistoryItem[]>(this.ep, `/images/${name}/history`).then((r) => r.body); }
  imageTag(name: string, repo: string, tag?: string) {
    return call(this.ep, `/images/${name}/tag`, { method: 'POST', query: { repo, tag } });
  }
  imageRemove(name: string, query: Query = {}) {
    return call<Array<{ Untagged?: string; Deleted?: string }>>(this.ep, `/images/${name}`, { method: 'DELETE', query }).then((r) => r.body);
  }
  imagePrune(query: Query = {}) {
    return call<{ ImagesDeleted: Array<{ Untagged?: string; Deleted?: string }> | null; SpaceReclaimed: number }>(this.ep, '/images/prune', { method: 'POST', query }).then((r) => r.body);
  }
  /** POST /images/create (import or pull); returns the JSON progress stream. */
  imageCreate(query: Query, body?: Readable): Promise<Readable> {
    return send(this.ep, '/images/create', { method: 'POST', query, stream: body, headers: body ? { 'Content-Type': 'application/x-tar' } : {} });
  }
  /** POST /build: the context tar goes up as it is made; resolves with the JSON message stream. */
  imageBuild(query: Query, context: Readable): Promise<Readable> {
    return send(this.ep, '/build', { method: 'POST', query, stream: context, headers: { 'Content-Type': 'application/x-tar' } });
  }
  builderPrune(query: Query = {}) {
    return call<{ CachesDeleted: string[] | null; SpaceReclaimed: number }>(this.ep, '/build/prune', { method: 'POST', query }).then((r) => r.body);
  }
  /** POST /images/create?fromImage=: a pull; returns the JSON progress stream. */
  imagePull(query: Query, registryAuth: string): Promise<Readable> {
    return send(this.ep, '/images/create', { method: 'POST', query, headers: { 'X-Registry-Auth': registryAuth } });
  }
  /** POST /images/{name}/push; returns the JSON progress stream. */
  imagePush(name: string, query: Query, registryAuth: string): Promise<Readable> {
    return send(this.ep, `/images/${name}/push`, { method: 'POST', query, headers: { 'X-Registry-Auth': registryAuth } });
  }
  imageSearch(query: Query, registryAuth?: string) {
    const headers: Record<string, string> = registryAuth ? { 'X-Registry-Auth': registryAuth } : {};
    return call<ImageSearchResult[]>(this.ep, '/images/search', { query, headers }).then((r) => r.body);
  }
  /** POST /auth: checks credentials against a registry. */
  authLogin(body: { username?: string; password?: string; serveraddress?: string; identitytoken?: string }) {
    return call<{ Status: string; IdentityToken?: string }>(this.ep, '/auth', { method: 'POST', body }).then((r) => r.body);
  }
  /** GET /images/get: the tar of `docker save` as it streams. */
  imageSave(names: string[]): Promise<Readable> {
    return send(this.ep, '/images/get', { query: { names } });
  }
  /** POST /images/load; returns the JSON message stream. */
  imageLoad(body: Readable, quiet: boolean): Promise<Readable> {
    return send(this.ep, '/images/load', { method: 'POST', query: { quiet }, stream: body, headers: { 'Content-Type': 'application/x-tar' } });
  }
}

const enc = encodeURIComponent;

/** Splits a JSON message stream into objects. */
export async function* jsonMessages(stream: Readable): AsyncGenerator<JsonMessage> {
  let carry = '';
  for await (const chunk of stream) {
    carry += (chunk as Buffer).toString('utf8');
    let nl: number;
    while ((nl = carry.indexOf('\n')) >= 0) {
      const line = carry.slice(0, nl).trim();
      carry = carry.slice(nl + 1);
      if (line) yield JSON.parse(line) as JsonMessage;
    }
  }
  if (carry.trim()) yield JSON.parse(carry) as JsonMessage;
}
