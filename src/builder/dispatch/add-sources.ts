// ADD's extras: a local tar archive (plain or gzip) is extracted rather than copied, and an http(s) URL
// is downloaded first (into the build's own directory; 0600, mtime from Last-Modified, as Docker does).
import { createWriteStream, promises as fs } from 'node:fs';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { SourceFs } from '../context/source-fs.js';

export type ArchiveKind = 'tar' | 'gzip';

/** What the file is, judged by its first bytes as Docker's isArchivePath does (decompress, read one header). */
export async function archiveKind(src: SourceFs, rel: string): Promise<ArchiveKind | undefined> {
  const head = await readHead(src, rel, 4096);
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    const inflated = await inflateHead(src, rel);
    return isTarHeader(inflated) ? 'gzip' : undefined;
  }
  if (head.subarray(0, 3).toString('latin1') === 'BZh' || head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) {
    throw new Error('ADD of a bzip2 or xz compressed archive is not supported by this builder (plain and gzip-compressed tar archives are)');
  }
  return isTarHeader(head) ? 'tar' : undefined;
}

async function readHead(src: SourceFs, rel: string, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  const stream = src.read(rel);
  for await (const c of stream) {
    chunks.push(c as Buffer);
    n += (c as Buffer).length;
    if (n >= max) break;
  }
  stream.destroy();
  return Buffer.concat(chunks);
}

async function inflateHead(src: SourceFs, rel: string): Promise<Buffer> {
  const stream = src.read(rel);
  const gunzip = createGunzip();
  stream.pipe(gunzip);
  const chunks: Buffer[] = [];
  let n = 0;
  try {
    for await (const c of gunzip) {
      chunks.push(c as Buffer);
      n += (c as Buffer).length;
      if (n >= 512) break;
    }
  } catch {
    // not gzip after all
  } finally {
    stream.destroy();
    gunzip.destroy();
  }
  return Buffer.concat(chunks);
}

/** A tar header block: its checksum field matches the byte sum (the field read as spaces). */
function isTarHeader(h: Buffer): boolean {
  if (h.length < 512) return false;
  let sum = 8 * 0x20;
  for (let i = 0; i < 512; i++) if (i < 148 || i >= 156) sum += h[i];
  const field = h.subarray(148, 156).toString('latin1').replace(/[\0 ]+$/g, '').trim();
  return /^[0-7]+$/.test(field) && parseInt(field, 8) === sum;
}

export const isUrl = (s: string): boolean => /^https?:\/\//.test(s);

/**
 * Downloads `url` into a new directory under `dir`; returns that directory and the file's name there
 * (from the URL's path, else Content-Disposition; "" when neither names one — the caller decides).
 */
export async function download(url: string, dir: string): Promise<{ dir: string; name: string }> {
  const res = await fetchUrl(url, 10);
  const u = new URL(url);
  let name = filenameFor(u.pathname, res.headers['content-disposition']);
  const target = await fs.mkdtemp(path.join(dir, 'download-'));
  const file = path.join(target, name === '' ? '__unnamed__' : name);
  await pipeline(res, createWriteStream(file, { mode: 0o600 }));
  const lastModified = Date.parse(res.headers['last-modified'] ?? '');
  const mtime = Number.isNaN(lastModified) ? new Date(0) : new Date(lastModified);
  await fs.utimes(file, mtime, mtime);
  return { dir: target, name };
}

function fetchUrl(url: string, redirects: number): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = (url.startsWith('https:') ? httpsGet : httpGet)(url, (res) => {
      const status = res.statusCode ?? 500;
      if (status >= 300 && status < 400 && res.headers.location && redirects > 0) {
        res.resume();
        resolve(fetchUrl(new URL(res.headers.location, url).toString(), redirects - 1));
        return;
      }
      if (status >= 400) {
        res.resume();
        reject(new Error(`failed to GET ${url} with status ${status} ${res.statusMessage ?? ''}`.trimEnd()));
        return;
      }
      resolve(res);
    });
    req.on('error', (err) => reject(new Error(`Get "${url}": ${err.message}`)));
  });
}

function filenameFor(urlPath: string, disposition: string | undefined): string {
  if (urlPath !== '' && !urlPath.endsWith('/')) {
    const base = path.posix.basename(urlPath);
    if (base !== '') return decodeURIComponent(base);
  }
  const m = disposition ? /filename="?([^";]+)"?/i.exec(disposition) : null;
  if (m && !m[1].endsWith('/')) return path.posix.basename(m[1]);
  return '';
}
