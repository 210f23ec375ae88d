// `RUN --mount=type=cache,target=/x[,id=,sharing=,from=,source=,mode=,uid=,gid=,...]`, parsed and
// validated as buildkit's parseMount (CSV fields, key=value, Docker's messages).
import type { MountType, RunMount, ShareMode } from './commands.js';

const MOUNT_TYPES = new Set<MountType>(['bind', 'cache', 'tmpfs', 'secret', 'ssh']);
const SHARE_MODES = new Set<ShareMode>(['shared', 'private', 'locked']);

/** Go's strconv.ParseBool. */
function parseGoBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}

/** Go's strconv.ParseUint(s, base, 32). */
function parseUint32(s: string, base: 8 | 10): number | undefined {
  const re = base === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!re.test(s.replace(/_/g, ''))) return undefined;
  const n = parseInt(s.replace(/_/g, ''), base);
  return n <= 0xffffffff ? n : undefined;
}

/** go-units RAMInBytes: "64m", "1.5g", "100" (binary multiples). */
function ramInBytes(s: string): number | undefined {
  const m = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(s);
  if (!m) return undefined;
  const mult: Record<string, number> = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50 };
  return Math.trunc(parseFloat(m[1]) * (m[2] ? mult[m[2].toLowerCase()] : 1));
}

/** Go's encoding/csv for one record. */
function readCsvRecord(line: string): string[] {
  if (line === '') throw new Error('failed to parse csv mounts: EOF');
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) {
          throw new Error(`failed to parse csv mounts: parse error on line 1, column ${line.length + 1}: extraneous or missing " in quoted-field`);
        }
        field += line.slice(i, q);
        i = q + 1;
        if (line[i] === '"') {
          field += '"';
          i++;
        } else if (i === line.length || line[i] === ',') {
          break;
        } else {
          throw new Error(`failed to parse csv mounts: parse error on line 1, column ${i + 1}: extraneous or missing " in quoted-field`);
        }
      }
    } else {
      const comma = line.indexOf(',', i);
      field = line.slice(i, comma < 0 ? line.length : comma);
      const bare = field.indexOf('"');
      if (bare >= 0) {
        throw new Error(`failed to parse csv mounts: parse error on line 1, column ${i + bare + 1}: bare " in non-quoted-field`);
      }
      i += field.length;
    }
    fields.push(field);
    if (i >= line.length) return fields;
    i++; // the comma
  }
}

/**
 * Parses one --mount value. Without `expand` (parse time) only what needs no variables is checked,
 * as buildkit does; with it, every value is expanded first and the mount is fully validated.
 */
export function parseMount(value: string, expand?: (word: string) => string): RunMount {
  const m: RunMount = { type: 'bind', readOnly: false };
  let roAuto = true;
  for (const field of readCsvRecord(value)) {
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    let val = eq < 0 ? '' : field.slice(eq + 1);
    if (eq < 0) {
      if (!expand) continue;
      if (key === 'readonly' || key === 'ro') {
        m.readOnly = true;
        roAuto = false;
      } else if (key === 'readwrite' || key === 'rw') {
        m.readOnly = false;
        roAuto = false;
      } else if (key === 'required') {
        if (m.type !== 'secret' && m.type !== 'ssh') throw new Error(`unexpected key '${key}' for mount type '${m.type}'`);
        m.required = true;
      } else {
        throw new Error(`invalid field '${field}' must be a key=value pair`);
      }
      continue;
    }
    if (expand) {
      val = expand(val);
    } else {
      if (key === 'from') {
        if (/\$./.test(val)) throw new Error(`'${key}' doesn't support variable expansion, define alias stage instead`);
        // Known now, so stage dependencies can be planned before expansion.
        m.from = val;
      }
      continue;
    }
    applyField(m, key, val, field, () => (roAuto = false));
  }
  validateMount(m, roAuto);
  return m;
}

function applyField(m: RunMount, key: string, value: string, field: string, explicitRo: () => void): void {
  const bad = () => new Error(`invalid value for ${key}: ${value}`);
  switch (key) {
    case 'type': {
      const t = value.toLowerCase() as MountType;
      if (!MOUNT_TYPES.has(t)) throw new Error(`unsupported mount type ${JSON.stringify(value)}`);
      m.type = t;
      return;
    }
    case 'from':
      m.from = value;
      return;
    case 'source':
    case 'src':
      m.source = value;
      return;
    case 'target':
    case 'dst':
    case 'destination':
      m.target = value;
      return;
    case 'readonly':
    case 'ro':
    case 'readwrite':
    case 'rw': {
      const b = parseGoBool(value);
      if (b === undefined) throw bad();
      m.readOnly = key === 'readonly' || key === 'ro' ? b : !b;
      explicitRo();
      return;
    }
    case 'required': {
      if (m.type !== 'secret' && m.type !== 'ssh') throw new Error(`unexpected key '${key}' for mount type '${m.type}'`);
      const b = parseGoBool(value);
      if (b === undefined) throw bad();
      m.required = b;
      return;
    }
    case 'size': {
      if (m.type !== 'tmpfs') throw new Error(`unexpected key '${key}' for mount type '${m.type}'`);
      const n = ramInBytes(value);
      if (n === undefined) throw bad();
      m.sizeLimit = n;
      return;
    }
    case 'id':
      m.cacheId = value;
      return;
    case 'sharing': {
      const s = value.toLowerCase() as ShareMode;
      if (!SHARE_MODES.has(s)) throw new Error(`unsupported sharing value ${JSON.stringify(value)}`);
      m.cacheSharing = s;
      return;
    }
    case 'mode':
    case 'uid':
    case 'gid': {
      const n = parseUint32(value, key === 'mode' ? 8 : 10);
      if (n === undefined) throw new Error(`invalid value ${value} for ${key}`);
      if (key === 'mode') m.mode = n;
      else if (key === 'uid') m.uid = n;
      else m.gid = n;
      return;
    }
    default:
      throw new Error(`unexpected key '${key}' in '${field}'`);
  }
}

function validateMount(m: RunMount, roAuto: boolean): void {
  const fileInfoAllowed = m.type === 'secret' || m.type === 'ssh' || m.type === 'cache';
  if (!fileInfoAllowed) {
    if (m.mode !== undefined) throw new Error(`mode not allowed for ${JSON.stringify(m.type)} type mounts`);
    if (m.uid !== undefined) throw new Error(`uid not allowed for ${JSON.stringify(m.type)} type mounts`);
    if (m.gid !== undefined) throw new Error(`gid not allowed for ${JSON.stringify(m.type)} type mounts`);
  }
  // Cache and tmpfs mounts are writable unless told otherwise; the others read-only.
  if (roAuto) m.readOnly = !(m.type === 'cache' || m.type === 'tmpfs');
  if (m.type === 'secret') {
    if (m.from) throw new Error('secret mount should not have a from');
    if (m.cacheSharing) throw new Error('secret mount should not define sharing');
    if (!m.source && !m.target && !m.cacheId) throw new Error('invalid secret mount. one of source, target required');
    if (m.source && m.cacheId) throw new Error("both source and id can't be set");
  }
  if (m.cacheSharing && m.type !== 'cache') throw new Error(`invalid cache sharing set for ${m.type} mount`);
}
