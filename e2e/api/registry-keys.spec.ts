import type { APIRequestContext, APIResponse } from "@playwright/test";
import {
  createTestPki,
  type Recorder,
  type RegistryPeer,
  setupEcrIdentities,
  setupEcrKeysInPartition,
  startRecorder,
  startRegistry,
  type TestPki,
} from "../../test/peers";
import { expect, test } from "../fixtures";

type Check = {
  status: string;
  summary: string;
  failedStep: string | null;
  proven: string | null;
  steps: Array<{ step: string; ok: boolean; detail: string }>;
};
type Audit = { action: string; target: string; details: Record<string, unknown> | null };

let pki: TestPki;
const stoppers: Array<() => Promise<void>> = [];
const alicePassword = `canary-keys-${Date.now()}`;

test.beforeAll(async () => {
  pki = await createTestPki();
  stoppers.push(pki.remove);
});

test.afterAll(async () => {
  for (const stop of stoppers.reverse()) await stop().catch(() => {});
});

async function registryPeer(address?: string): Promise<RegistryPeer> {
  const peer = await startRegistry({ tls: pki.server, auth: { htpasswd: { alice: alicePassword } }, address });
  stoppers.push(peer.stop);
  return peer;
}

async function recorder(opts: { address?: string; port?: number } = {}): Promise<Recorder> {
  const r = await startRecorder({ tls: pki.server, ...opts });
  stoppers.push(r.stop);
  return r;
}

async function created(res: APIResponse): Promise<void> {
  expect(res.status(), await res.text()).toBe(201);
}

async function checkOf(res: APIResponse): Promise<Check> {
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as Check;
}

async function refusedNaming(res: APIResponse, field: string, problem: RegExp): Promise<void> {
  const text = await res.text();
  expect(res.status(), text).toBe(400);
  const body = JSON.parse(text) as { error: string; fields?: Record<string, string> };
  expect(body.error).toBe("VALIDATION_FAILED");
  expect(body.fields?.[field], text).toMatch(problem);
}

async function auditFor(api: APIRequestContext, target: string): Promise<Audit[]> {
  const res = await api.get(`audit?action=registry.test`);
  expect(res.status()).toBe(200);
  const body = (await res.json()) as Audit[] | { entries?: Audit[]; items?: Audit[] };
  const entries = Array.isArray(body) ? body : (body.entries ?? body.items ?? []);
  return entries.filter((e) => e.target === target);
}

const hex = () => Math.floor(Math.random() * 0xfffe + 1).toString(16);

test("[registry-keys] every key form the kubelet matches registers as written; forms it never matches get 400 naming registry", async ({
  api,
  uid,
}) => {
  const accepted = [
    `*.${uid}.example.com`,
    `prefix.${uid}.c*`,
    `*.*.${uid}.example.com:5000/team`,
    `${uid}*.example.com/team/`,
    `[::1]:${1024 + Math.floor(Math.random() * 60000)}`,
    `[2001:db8::${hex()}:${hex()}]:443/ns`,
    `localhost:${1024 + Math.floor(Math.random() * 60000)}/${uid}`,
    `Registry${uid}`,
    `${uid}.example.com/v2/team`,
  ];
  for (const [i, registry] of accepted.entries()) {
    await test.step(registry, async () => {
      const id = `key${i}-${uid}`;
      await created(await api.post("registries", { data: { id, registry, type: "public" } }));
      expect(((await (await api.get(`registries/${id}`)).json()) as { registry: string }).registry).toBe(registry);
      expect((await api.delete(`registries/${id}`)).status()).toBe(204);
    });
  }
  const refused: Array<[string, RegExp]> = [
    ["[::1]", /needs a port/],
    ["[2001:db8::1]/ns", /needs a port/],
    [`myregistry${uid}`, /names no image host/],
    [`http://${uid}.example.com`, /scheme/],
    [`${uid} .example.com`, /spaces/],
    [`${uid}..example.com`, /empty label/],
    [`${uid}.example.com:*`, /port/],
    [`${uid}.example.com/Team`, /lowercase/],
  ];
  for (const [registry, problem] of refused) {
    await test.step(`refuses ${registry}`, async () => {
      await refusedNaming(
        await api.post("registries", { data: { id: `refused-${uid}`, registry, type: "public" } }),
        "registry",
        problem,
      );
    });
  }
  expect((await api.get(`registries/refused-${uid}`)).status()).toBe(404);
});

test("[registry-keys] the image resolver matches a glob inside a label as the kubelet does", async ({ api, uid }) => {
  const id = `glob-${uid}`;
  await created(await api.post("registries", { data: { id, registry: `${uid}.docker.c*`, type: "public" } }));
  const resolve = async (image: string) =>
    (
      (await (await api.get(`images/resolve?image=${encodeURIComponent(image)}`)).json()) as {
        registry: { id: string } | null;
      }
    ).registry?.id ?? null;
  expect(await resolve(`${uid}.docker.com/app:1`)).toBe(id);
  expect(await resolve(`${uid}.docker.co/team/app`)).toBe(id);
  expect(await resolve(`${uid}.docker.io/app`)).toBeNull();
  expect(await resolve(`x.${uid}.docker.com/app`)).toBeNull();
});

test("[registry-keys] a registry with a glob is tested at a concrete host it matches: the real registry accepts the stored password there", async ({
  api,
  uid,
}) => {
  const registry = await registryPeer();
  const id = `glob-real-${uid}`;
  await created(
    await api.post("registries", {
      data: {
        id,
        registry: `127.0.0.*:${registry.port}/team`,
        type: "basic",
        creds: { username: "alice", password: alicePassword },
        ca_cert: pki.ca.cert,
      },
    }),
  );
  await refusedNaming(await api.post(`registries/${id}/test`), "test_host", /is required: .*wildcard/);
  await refusedNaming(await api.post("registries/test", { data: { id } }), "test_host", /is required/);

  const stored = await checkOf(await api.post(`registries/${id}/test`, { data: { test_host: registry.host } }));
  expect(stored.status, stored.summary).toBe("valid");
  expect(stored.proven).toBe(`Basic login as alice to ${registry.host}`);
  const unsaved = await checkOf(await api.post("registries/test", { data: { id, test_host: registry.host } }));
  expect(unsaved.status, unsaved.summary).toBe("valid");

  // A glob inside a label, as in prefix.docker.c*.
  const inLabel = `glob-label-${uid}`;
  await created(
    await api.post("registries", {
      data: {
        id: inLabel,
        registry: `12*.0.0.1:${registry.port}`,
        type: "basic",
        creds: { username: "alice", password: alicePassword },
        ca_cert: pki.ca.cert,
      },
    }),
  );
  const label = await checkOf(await api.post(`registries/${inLabel}/test`, { data: { test_host: registry.host } }));
  expect(label.status, label.summary).toBe("valid");

  const audit = await auditFor(api, id);
  expect(audit.map((e) => e.details?.host)).toEqual(expect.arrayContaining([registry.host]));
  expect(audit.map((e) => e.details?.testHost)).toEqual(expect.arrayContaining([registry.host]));
  expect(JSON.stringify(audit)).not.toContain(alicePassword);
});

test("[registry-keys] a test_host the glob does not match gets 400 naming test_host, and no request reaches it", async ({
  api,
  uid,
}) => {
  const home = await recorder();
  // The same port on another loopback address: only the host label differs from what the glob allows.
  const otherAddress = await recorder({ address: "127.0.0.2", port: home.port });
  const otherPort = await recorder();
  const id = `glob-miss-${uid}`;
  const canary = `canary-${uid}-glob`;
  const glob = `127.0.0.1*:${home.port}`;
  await created(
    await api.post("registries", {
      data: { id, registry: glob, type: "basic", creds: { username: "alice", password: canary }, ca_cert: pki.ca.cert },
    }),
  );
  const misses = [`127.0.0.2:${home.port}`, `127.0.0.1:${otherPort.port}`, `127.0.0.1`];
  for (const testHost of misses) {
    await test.step(`test_host ${testHost}`, async () => {
      await refusedNaming(
        await api.post(`registries/${id}/test`, { data: { test_host: testHost } }),
        "test_host",
        new RegExp(`${testHost.replace(/\./g, "\\.")} is not matched by 127\\.0\\.0\\.1\\*:${home.port}`),
      );
      await refusedNaming(
        await api.post("registries/test", { data: { id, test_host: testHost } }),
        "test_host",
        /is not matched/,
      );
      // Credentials in the body change nothing: the host must still match.
      await refusedNaming(
        await api.post("registries/test", {
          data: {
            registry: glob,
            type: "basic",
            creds: { username: "bob", password: `${canary}-given` },
            test_host: testHost,
          },
        }),
        "test_host",
        /is not matched/,
      );
    });
  }
  await refusedNaming(
    await api.post(`registries/${id}/test`, { data: { test_host: `127.0.0.1:${home.port}/team` } }),
    "test_host",
    /without a path/,
  );
  for (const r of [home, otherAddress, otherPort]) expect(r.connections()).toBe(0);

  // Positive control: the matching host gets the stored password, once.
  const hit = await checkOf(await api.post(`registries/${id}/test`, { data: { test_host: `127.0.0.1:${home.port}` } }));
  expect(hit.failedStep).toBe("auth");
  expect(home.credentials()).toEqual([`Basic alice:${canary}`]);
  expect(otherAddress.connections() + otherPort.connections()).toBe(0);

  const refusedAudit = (await auditFor(api, id)).filter((e) => e.details?.status === "refused");
  expect(refusedAudit.length).toBeGreaterThanOrEqual(misses.length * 2);
  for (const e of refusedAudit) expect(e.details?.refused).toBe("test_host");
  expect(JSON.stringify(refusedAudit)).not.toContain(canary);

  // A registry without a glob takes no test_host.
  const plain = `plain-${uid}`;
  await created(await api.post("registries", { data: { id: plain, registry: `${uid}.example.com`, type: "public" } }));
  await refusedNaming(
    await api.post(`registries/${plain}/test`, { data: { test_host: `${uid}.example.com` } }),
    "test_host",
    /only applies to a registry whose host has a wildcard/,
  );
});

test("[registry-keys] a glob is a destination: widening it needs the credentials again, and another path keeps them", async ({
  api,
  uid,
}) => {
  const home = await recorder();
  const other = await recorder({ address: "127.0.0.2", port: home.port });
  const id = `glob-bind-${uid}`;
  const canary = `canary-${uid}-bind`;
  const glob = `127.0.0.1*:${home.port}`;
  await created(
    await api.post("registries", {
      data: { id, registry: glob, type: "basic", creds: { username: "alice", password: canary }, ca_cert: pki.ca.cert },
    }),
  );
  const wider = `127.0.0.*:${home.port}`;
  await refusedNaming(
    await api.post("registries/test", { data: { id, registry: wider, test_host: `127.0.0.2:${home.port}` } }),
    "creds.password",
    /registry host changed/,
  );
  await refusedNaming(await api.patch(`registries/${id}`, { data: { registry: wider } }), "creds.password", /changed/);
  expect(other.connections()).toBe(0);

  const samePath = await checkOf(
    await api.post("registries/test", {
      data: { id, registry: `${glob}/team`, test_host: `127.0.0.1:${home.port}` },
    }),
  );
  expect(samePath.failedStep).toBe("auth");
  expect(home.credentials()).toEqual([`Basic alice:${canary}`]);
  expect(other.connections()).toBe(0);
});

test("[registry-keys] the egress policy applies to the concrete host a glob is tested at", async ({ api, uid }) => {
  const id = `glob-egress-${uid}`;
  await created(
    await api.post("registries", {
      data: { id, registry: "169.254.169.*", type: "basic", creds: { username: "alice", password: `canary-${uid}` } },
    }),
  );
  const r = await checkOf(await api.post(`registries/${id}/test`, { data: { test_host: "169.254.169.254" } }));
  expect(r).toMatchObject({ status: "unreachable", failedStep: "policy" });
  expect(r.summary).toContain("169.254.169.254 is a cloud metadata address, always refused");
});

test("[registry-keys] an [::1]:<port> registry registers, resolves and logs in to the real registry listening on ::1", async ({
  api,
  uid,
}) => {
  const registry = await registryPeer("::1");
  expect(registry.host).toBe(`[::1]:${registry.port}`);
  const id = `ipv6-${uid}`;
  await created(
    await api.post("registries", {
      data: {
        id,
        registry: registry.host,
        type: "basic",
        creds: { username: "alice", password: alicePassword },
        ca_cert: pki.ca.cert,
      },
    }),
  );
  const r = await checkOf(await api.post(`registries/${id}/test`));
  expect(r.status, r.summary).toBe("valid");
  expect(r.proven).toBe(`Basic login as alice to ${registry.host}`);
  const resolved = (await (
    await api.get(`images/resolve?image=${encodeURIComponent(`${registry.host}/team/app:1`)}`)
  ).json()) as { registry: { id: string } | null; secret: string | null };
  expect(resolved).toMatchObject({ registry: { id }, secret: `regcred-${id}` });
});

test("[registry-keys] every ECR host the upstream provider recognises registers without a region; its token is minted in the host's region", async ({
  api,
  uid,
}) => {
  // moto turns on IAM auth here; it keeps IAM per partition, as AWS does, so each host gets keys of its partition.
  await setupEcrIdentities(process.env.MOTO_URL!);
  const account = String(Date.now()).slice(-12).padStart(12, "7");
  const hosts: Array<[string, string]> = [
    [`${account}.dkr-ecr.eu-west-1.on.aws`, "eu-west-1"],
    [`${account}.dkr-ecr-fips.us-east-2.on.aws`, "us-east-2"],
    [`${account}.dkr.ecr-fips.us-gov-west-1.amazonaws.com`, "us-gov-west-1"],
    [`${account}.dkr.ecr.cn-north-1.amazonaws.com.cn`, "cn-north-1"],
    [`${account}.dkr-ecr.cn-northwest-1.on.amazonwebservices.com.cn`, "cn-northwest-1"],
    [`${account}.dkr.ecr.eusc-de-east-1.amazonaws.eu`, "eusc-de-east-1"],
    [`${account}.dkr.ecr.us-iso-east-1.c2s.ic.gov`, "us-iso-east-1"],
    [`${account}.dkr.ecr.us-isob-east-1.sc2s.sgov.gov`, "us-isob-east-1"],
    [`${account}.dkr.ecr.eu-isoe-west-1.cloud.adc-e.uk`, "eu-isoe-west-1"],
    [`${account}.dkr.ecr.us-isof-south-1.csp.hci.ic.gov`, "us-isof-south-1"],
  ];
  for (const [i, [host, region]] of hosts.entries()) {
    await test.step(host, async () => {
      const id = `ecr${i}-${uid}`;
      const keys = await setupEcrKeysInPartition(process.env.MOTO_URL!, region);
      await created(
        await api.post("registries", {
          data: {
            id,
            registry: `${host}/team`,
            type: "amazon_ecr",
            creds: { username: keys.accessKeyId, password: keys.secretAccessKey },
          },
        }),
      );
      const r = await checkOf(await api.post(`registries/${id}/test`));
      expect(r.steps[0], r.summary).toMatchObject({ step: "aws", ok: true });
      expect(r.steps[0]!.detail).toContain(`GetAuthorizationToken in ${region}: token minted`);
      // No DNS here for AWS hosts: the check stops after the token, at the registry's name.
      expect(r.failedStep).toBe("dns");
    });
  }
  await refusedNaming(
    await api.post("registries", {
      data: {
        id: `ecr-bad-${uid}`,
        registry: `${account}.dkr.ecr.us-east-1.amazonaws.org`,
        type: "amazon_ecr",
        creds: { username: "AKIAEXAMPLE", password: "not-checked" },
      },
    }),
    "registry",
    /ECR host/,
  );
});
