// Resolves `-u user[:group]` against the container's /etc/passwd and /etc/group.
import { invalidArgument } from '../errdefs/errors.js';

export interface ResolvedUser {
  uid: number;
  gid: number;
  additionalGids: number[];
  home: string;
}

const isNumeric = (s: string) => /^\d+$/.test(s);

export function resolveUser(spec: string, passwd: string, group: string): ResolvedUser {
  const [userPart, groupPart] = spec.split(':', 2);
  const users = passwd.split('\n').filter(Boolean).map((l) => l.split(':'));
  const groups = group.split('\n').filter(Boolean).map((l) => l.split(':'));
  const name = userPart || '0';
  const entry = users.find((u) => u[0] === name || (isNumeric(name) && u[2] === name));
  if (!entry && !isNumeric(name)) {
    throw invalidArgument(`unable to find user ${name}: no matching entries in passwd file`);
  }
  const uid = entry ? Number(entry[2]) : Number(name);
  let gid = entry ? Number(entry[3]) : 0;
  if (groupPart !== undefined && groupPart !== '') {
    const g = groups.find((x) => x[0] === groupPart || (isNumeric(groupPart) && x[2] === groupPart));
    if (!g && !isNumeric(groupPart)) {
      throw invalidArgument(`unable to find group ${groupPart}: no matching entries in group file`);
    }
    gid = g ? Number(g[2]) : Number(groupPart);
  }
  const userName = entry?.[0];
  // Docker always lists the primary group among the supplementary ones; with an explicit group, only it.
  const explicitGroup = groupPart !== undefined && groupPart !== '';
  const memberOf = userName && !explicitGroup ? groups.filter((g) => (g[3] ?? '').split(',').includes(userName)).map((g) => Number(g[2])) : [];
  const additionalGids = [...new Set([gid, ...memberOf])];
  return { uid, gid, additionalGids, home: entry?.[5] || '/' };
}
