// "repo[:tag]" as the API's repo and tag parameters (a colon before the last "/" is a registry port).
export function splitRepoTag(ref: string | undefined): { repo?: string; tag?: string } {
  if (!ref) return {};
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/') ? { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) } : { repo: ref };
}
