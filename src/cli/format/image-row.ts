// The fields `images --format` offers: one row per tag, as the docker CLI prints them.
import type { ImageSummary } from '../../api/types.js';
import { humanDuration, humanSize } from '../../api/units.js';
import { goTimeString, truncateId } from './container-row.js';

export const IMAGES_DEFAULT_FORMAT = 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}';
export const IMAGES_DIGESTS_FORMAT = 'table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}';

export const IMAGE_HEADERS: Record<string, string> = {
  ID: 'IMAGE ID',
  Repository: 'REPOSITORY',
  Tag: 'TAG',
  Digest: 'DIGEST',
  CreatedSince: 'CREATED',
  CreatedAt: 'CREATED AT',
  Size: 'SIZE',
  Containers: 'CONTAINERS',
  VirtualSize: 'VIRTUAL SIZE',
  SharedSize: 'SHARED SIZE',
  UniqueSize: 'UNIQUE SIZE',
};

function splitTag(ref: string): [string, string] {
  const i = ref.lastIndexOf(':');
  return i > ref.lastIndexOf('/') ? [ref.slice(0, i), ref.slice(i + 1)] : [ref, '<none>'];
}

export function imageRows(images: ImageSummary[], trunc: boolean, now = Date.now()) {
  const rows = [];
  for (const img of images) {
    const base = {
      ID: trunc ? truncateId(img.Id) : img.Id,
      CreatedSince: `${humanDuration(now - img.Created * 1000)} ago`,
      CreatedAt: goTimeString(img.Created),
      Size: humanSize(img.Size),
      VirtualSize: humanSize(img.Size),
      SharedSize: img.SharedSize < 0 ? 'N/A' : humanSize(img.SharedSize),
      UniqueSize: img.SharedSize < 0 ? 'N/A' : humanSize(img.Size - img.SharedSize),
      Containers: img.Containers < 0 ? 'N/A' : String(img.Containers),
    };
    const digests = img.RepoDigests ?? [];
    const tags = (img.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
    if (tags.length === 0) {
      const digest = digests[0]?.split('@')[1] ?? '<none>';
      const repo = digests[0]?.split('@')[0] ?? '<none>';
      rows.push({ ...base, Repository: repo, Tag: '<none>', Digest: digest });
      continue;
    }
    for (const t of tags) {
      const [repo, tag] = splitTag(t);
      const digest = digests.find((d) => d.startsWith(`${repo}@`))?.split('@')[1] ?? '<none>';
      rows.push({ ...base, Repository: repo, Tag: tag, Digest: digest });
    }
  }
  return rows;
}
