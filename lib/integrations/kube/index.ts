export { connect, failingClient } from "./client";
export {
  detectInCluster,
  kubeEnvironment,
  readReferencedFile,
  readStartupKubeconfigs,
  type InClusterInfo,
  type KubeEnvironment,
  type KubeconfigFile,
} from "./local";
export type * from "./types";
export { parseYamlText } from "./yaml";
export { stubClient } from "./stub";
