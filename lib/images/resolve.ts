import { secretNameFor } from "../sync/labels";
import { parseImageReference } from "./reference";
import { type MatchableRegistry, resolveRegistry } from "./matching";
import type { ResolvedImage } from "./schema";

export type ImageResolution = ({ ok: true } & ResolvedImage) | { ok: false; reason: string };

/** Which registry (and so which regcred secret) the kubelet would use for an image. */
export function resolveImage(image: string, registries: ReadonlyArray<MatchableRegistry>): ImageResolution {
  const parsed = parseImageReference(image.trim());
  if (!parsed.ok) return { ok: false, reason: parsed.reason };
  const ref = parsed.value;
  const winner = resolveRegistry(registries, ref);
  return {
    ok: true,
    domain: ref.domain,
    path: ref.path,
    tag: ref.tag,
    digest: ref.digest,
    normalized: ref.normalized,
    familiar: ref.familiar,
    registry: winner ? { id: winner.id, registry: winner.registry, type: winner.type } : null,
    secret: winner && winner.type !== "public" ? secretNameFor(winner.id) : null,
  };
}
