export {
  ARGOCD_COMPARE_ANNOTATION,
  ARGOCD_COMPARE_VALUE,
  CONTENT_HASH_ANNOTATION,
  ENVIRONMENT_LABEL,
  environmentValue,
  EXPIRES_LABEL,
  formatExpiryLabel,
  isManagedSecret,
  LABEL_PREFIX,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  OWN_LABEL_KEYS,
  parseExpiryLabel,
  REGISTRY_LABEL,
  SECRET_NAME_PREFIX,
  secretNameFor,
  toLabelValue,
  UNUSED_SINCE_ANNOTATION,
} from "./labels";
export type { EnvironmentInput, ObjectLabels } from "./labels";
export { decodeBase64Utf8, encodeBase64Utf8, hashSecretContent, sha256Hex } from "./content";
export { extractAllWorkloadImages, extractWorkloadImages, podSpecOf } from "./workload-images";
export type { WorkloadImages } from "./workload-images";
export { buildRegistrySecretData, copySecretCredential, secretRefSource } from "./credentials";
export type { EcrToken, SecretRefTarget, SecretSource, StoredCredentials, SyncCredential } from "./credentials";
export { computeDesiredState, groupServiceAccounts } from "./desired";
export type {
  DesiredSecret,
  DesiredServiceAccount,
  DesiredState,
  DesiredStateInput,
  DesiredWorkload,
  HeldSecret,
  SyncNamespace,
  SyncRegistry,
  SyncWarning,
} from "./desired";
export { hasWrites, planSecretSync } from "./plan";
export type { ActualSecret, PlanInput, SecretAction, SyncConflict, SyncPlan } from "./plan";
export { mergePullSecrets, planPullSecretWiring } from "./wiring";
export { plannedWiringMode, type PlannedWiringMode, type WiringMode, WiringModes } from "./wiring-modes";
export type {
  ActualServiceAccount,
  ServiceAccountPatch,
  Wiring,
  WiringFacts,
  WiringWarning,
  WorkloadPatch,
} from "./wiring";
export {
  BACKOFF_BASE_MS,
  BACKOFF_CAP_MS,
  backoffDelay,
  EXPIRY_SAFETY_MS,
  nextRefreshAt,
  planRefreshFailure,
  REFRESH_FRACTION,
  REFRESH_JITTER_FRACTION,
  shouldRefresh,
} from "./schedule";
export type { RefreshFailurePlan, Rng } from "./schedule";
