import "server-only";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { env } from "../env";
import { AppError } from "../errors";
import { log } from "../log";
import { clientKey } from "../net/client";
import { consumePoint } from "../rate-limit";

/** A refused sign-in attempt; `retryAfterSeconds` becomes the Retry-After header. */
export class SignInLimitedError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    super(
      "RATE_LIMITED",
      `Too many sign-in attempts; try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`,
    );
  }
}

type Limiters = { account: RateLimiterMemory; client: RateLimiterMemory };

// In memory, so per replica: N replicas behind a load balancer allow up to N times the configured attempts.
const store = globalThis as unknown as { regcredSignInLimiters?: Limiters };

function limiters(): Limiters {
  if (!store.regcredSignInLimiters) {
    const e = env();
    const duration = e.REGCRED_SIGNIN_WINDOW_SECONDS;
    store.regcredSignInLimiters = {
      account: new RateLimiterMemory({
        keyPrefix: "signin-account",
        points: e.REGCRED_SIGNIN_ACCOUNT_ATTEMPTS,
        duration,
      }),
      client: new RateLimiterMemory({ keyPrefix: "signin-client", points: e.REGCRED_SIGNIN_CLIENT_ATTEMPTS, duration }),
    };
  }
  return store.regcredSignInLimiters;
}

/**
 * Counts one attempt for the client address, then for the account (known or not, so a limit says
 * nothing about existence); throws SignInLimitedError when either is spent. A limited client does not
 * spend the account's attempts.
 */
export async function countSignInAttempt(email: string, clientAddress: string): Promise<void> {
  const { account, client } = limiters();
  const clientWait = await consumePoint(client, clientKey(clientAddress));
  if (clientWait !== null) {
    log.warn("sign-in refused: too many attempts from one client", {
      client: clientAddress,
      retryAfterSeconds: clientWait,
    });
    throw new SignInLimitedError(clientWait);
  }
  const accountWait = await consumePoint(account, email);
  if (accountWait !== null) {
    log.warn("sign-in refused: too many attempts for one account", {
      client: clientAddress,
      retryAfterSeconds: accountWait,
    });
    throw new SignInLimitedError(accountWait);
  }
}

/** A successful sign-in gives the account its attempts back. */
export async function resetAccountAttempts(email: string): Promise<void> {
  await limiters().account.delete(email);
}
