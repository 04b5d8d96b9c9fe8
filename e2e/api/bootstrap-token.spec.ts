import { expect, test } from "@playwright/test";
import { startOwnServer, tempDataDir } from "../own-server";

const token = "bootstrap-revoke-test-0123456789abcdef";
const otherToken = "bootstrap-revoke-test-fedcba9876543210";

function tokensOf(url: string, bearer: string): Promise<Response> {
  return fetch(`${url}/api/orgs/default/tokens`, { headers: { Authorization: `Bearer ${bearer}` } });
}

test("[tokens] a revoked bootstrap token stays revoked after a restart; a new value makes a new token", async () => {
  const dir = tempDataDir("bootstrap");
  const first = await startOwnServer({ REGCRED_DATA_DIR: dir, REGCRED_BOOTSTRAP_TOKEN: token });
  try {
    const listed = await tokensOf(first.url, token);
    expect(listed.status).toBe(200);
    const bootstrap = ((await listed.json()) as Array<{ id: string; name: string }>).find(
      (t) => t.name === "bootstrap",
    );
    expect(bootstrap).toBeTruthy();
    const revoked = await fetch(`${first.url}/api/orgs/default/tokens/${bootstrap!.id}`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(revoked.status).toBe(204);
    expect((await tokensOf(first.url, token)).status).toBe(401);
  } finally {
    await first.stop();
  }

  const second = await startOwnServer({ REGCRED_DATA_DIR: dir, REGCRED_BOOTSTRAP_TOKEN: token });
  try {
    expect((await tokensOf(second.url, token)).status).toBe(401);
  } finally {
    await second.stop();
  }

  const third = await startOwnServer({ REGCRED_DATA_DIR: dir, REGCRED_BOOTSTRAP_TOKEN: otherToken });
  try {
    expect((await tokensOf(third.url, otherToken)).status).toBe(200);
    expect((await tokensOf(third.url, token)).status).toBe(401);
  } finally {
    await third.stop();
  }
});
