// ADD's extras: a local tar archive (plain, gzip, bzip2, xz or zstd) is extracted rather than copied, and
// an http(s) URL is downloaded first (into the build's own directory; 0600, mtime from Last-Modified, as
// Docker does).
import { createWriteStream, promises as fs } from 'node:fs';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { SourceFs } from '../context/source-fs.js';
import { decompress, detectCompression, type Compression } from './decompress.js';

/**
 * The compression of a tar archive, or undefined when the file is not one (then ADD copies it as it is).
 * As Docker's isArchivePath: decompress by the magic bytes, then read one tar header; a file that does
 * not decompress is no archive either.
 */
export async function archiveKind(src: SourceFs, rel: string): Promise<Compression | undefined> {
  const compression = detectCompression(await readHead(src.read(rel), 8));
  let head: Buffer;
  try {
    head = await readHead(decompress(src.read(rel), compression, rel), 512);
  } catch {
    return undefined;
  }
  return isTarHeader(head) ? compression : undefined;
}

/** Up to the first `max` bytes of `stream` (fewer when it ends sooner); the stream is closed after. */
async function readHead(stream: Readable, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  try {
    for await (const c of stream) {
      chunks.push(c as Buffer);
      n += (c as Buffer).length;
      if (n >= max) break;
    }
  } finally {
    stream.destroy();
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
