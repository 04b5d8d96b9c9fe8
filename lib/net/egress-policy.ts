import "server-only";
import { env } from "../env";
import { parseCidrList } from "./cidr";
import type { EgressPolicy } from "./egress";

let cached: EgressPolicy | undefined;

/** The operator's egress policy: REGCRED_EGRESS_ALLOW_LOOPBACK and REGCRED_EGRESS_DENY_CIDRS (validated at start-up). */
export function configuredEgressPolicy(): EgressPolicy {
  if (cached) return cached;
  const e = env();
  cached = { allowLoopback: e.REGCRED_EGRESS_ALLOW_LOOPBACK, deny: parseCidrList(e.REGCRED_EGRESS_DENY_CIDRS) };
  return cached;
}
