export {
  type EcrAuthorization,
  type EcrAuthorizationOptions,
  type EcrCredentials,
  ecrMintCount,
  forgetEcrAuthorization,
  getEcrAuthorization,
} from "./authorization";
export type { EcrFailure } from "./errors";
export type { AwsKeys } from "./mint";
export { chainNotAllowed, type EcrIdentity, roleSessionName, type SourceInfo } from "./source";
