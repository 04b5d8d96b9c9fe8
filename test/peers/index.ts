export { createTestPki, type KeyPair, type TestPki } from "./pki";
export {
  ensureMoto,
  type EcrIdentities,
  type KeylessIdentities,
  type MotoPeer,
  setupEcrIdentities,
  setupEcrKeysInPartition,
  setupKeylessIdentities,
  type StsCall,
  type StsRecorder,
  startStsRecorder,
} from "./moto";
export { freePort, type Peer, startProcess } from "./process";
export {
  htpasswd,
  loginStatus,
  pushImage,
  type RegistryAuth,
  type RegistryPeer,
  registryBin,
  startRegistry,
} from "./registry";
export {
  type Access,
  requestRegistryToken,
  signRegistryToken,
  startTokenServer,
  type TokenServer,
  type TokenServerOptions,
} from "./token-server";
export { type Recorded, type Recorder, type RecorderOptions, type RecorderReply, startRecorder } from "./recorder";
export { type EcrTokenProxy, type HandedOut, startEcrTokenProxy } from "./ecr-token-proxy";
