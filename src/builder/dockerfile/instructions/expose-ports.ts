// EXPOSE's port specs to ExposedPorts keys ("80/tcp"), validated as go-connections' nat.ParsePortSpecs
// (the Docker 20.10 wording: "Invalid containerPort: abc", "Invalid proto: xyz"). The dispatcher calls it
// after expansion, which is when Docker complains.

const PROTOS = new Set(['tcp', 'udp', 'sctp']);

/** nat.ParsePortRange: "80" or "8000-8010", each 0-65535. */
function parsePortRange(ports: string): [number, number] | undefined {
  const one = (s: string) => (/^\d+$/.test(s) && Number(s) <= 65535 ? Number(s) : undefined);
  if (ports === '') return undefined;
  if (!ports.includes('-')) {
    const p = one(ports);
    return p === undefined ? undefined : [p, p];
  }
  const [a, b] = ports.split('-', 2);
  const start = one(a);
  const end = one(b);
  if (start === undefined || end === undefined || end < start) return undefined;
  return [start, end];
}

/** The ExposedPorts keys for EXPOSE's (expanded) words, in order, without duplicates. */
export function exposedPortKeys(specs: readonly string[]): string[] {
  const keys = new Set<string>();
  for (const raw of specs) {
    const parts = raw.split(':');
    const containerPart = parts[parts.length - 1];
    const hostPart = parts.length >= 2 ? parts[parts.length - 2] : '';
    const slash = containerPart.split('/');
    let proto = 'tcp';
    let port = containerPart;
    if (slash[0] === '') {
      proto = '';
      port = '';
    } else if (slash.length > 1) {
      port = slash[0];
      if (slash[1] !== '') proto = slash[1];
    }
    if (port === '') throw new Error(`No port specified: ${raw}<empty>`);
    const range = parsePortRange(port);
    if (!range) throw new Error(`Invalid containerPort: ${port}`);
    if (hostPart !== '') {
      const host = parsePortRange(hostPart);
      if (!host) throw new Error(`Invalid hostPort: ${hostPart}`);
      if (range[1] - range[0] !== host[1] - host[0] && range[1] !== range[0]) {
        throw new Error(`Invalid ranges specified for container and host Ports: ${port} and ${hostPart}`);
      }
    }
    if (!PROTOS.has(proto.toLowerCase())) throw new Error(`Invalid proto: ${proto}`);
    for (let p = range[0]; p <= range[1]; p++) keys.add(`${p}/${proto.toLowerCase()}`);
  }
  return [...keys];
}
