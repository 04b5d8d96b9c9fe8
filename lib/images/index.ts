export { parseImageReference } from "./reference";
export type { ImageReference, ImageReferenceResult } from "./reference";
export {
  isDefaultRegistryMatch,
  kubeletKey,
  matchesRegistry,
  matchRegistry,
  rankRegistries,
  registryKubeletKey,
  resolveRegistry,
  urlsMatch,
} from "./matching";
export type { MatchableRegistry, RegistryMatch } from "./matching";
export {
  buildDockerConfigJson,
  dockerConfigServerKey,
  dockerHubServerKey,
  hostsOf,
  parseDockerConfigJson,
} from "./dockerconfig";
export type {
  DockerConfigCredential,
  DockerConfigEntry,
  DockerConfigInput,
  DockerConfigJson,
  DockerConfigParseResult,
  ParsedDockerConfig,
} from "./dockerconfig";
