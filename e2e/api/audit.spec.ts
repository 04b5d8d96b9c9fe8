import type { APIRequestContext, APIResponse } from "@playwright/test";
import { expect, test } from "../fixtures";

type Entry = { id: number; actor: string; action: string; target: string; created_at: string };

const nextLink = (res: APIResponse): string | null =>
  /<([^>]+)>;\s*rel="next"/.exec(res.headers()["link"] ?? "")?.[1] ?? null;

/** Follows the Link headers from `first` to the end; returns every entry seen and the page count. */
async function readAllPages(api: APIRequestContext, first: string): Promise<{ entries: Entry[]; pages: number }> {
  const entries: Entry[] = [];
  let url: string | null = first;
  let pages = 0;
  while (url && pages < 100) {
    const res = await api.get(url);
    expect(res.status(), url).toBe(200);
    entries.push(...((await res.json()) as Entry[]));
    pages += 1;
    const link = nextLink(res);
    // The Link target is an absolute path; the fixture's base URL already holds /api/orgs/<org>/.
    url = link ? `audit${link.slice(link.indexOf("?"))}` : null;
  }
  return { entries, pages };
}

test("[audit] an entry older than 250 others is found by each filter and by paging through the whole log", async ({
  api,
  uid,
}) => {
  test.setTimeout(180_000);
  const oldId = `old-${uid}`;
  expect(
    (await api.post("registries", { data: { id: oldId, registry: `${oldId}.example.com`, type: "public" } })).status(),
  ).toBe(201);
  const [oldEntry] = (await (await api.get(`audit?action=registry.create&limit=1`)).json()) as Entry[];
  expect(oldEntry).toMatchObject({ action: "registry.create", target: oldId });
  await new Promise((r) => setTimeout(r, 20));
  for (let i = 0; i < 130; i++) {
    const created = await api.post("tokens", { data: { name: `bulk-${uid}-${i}`, role: "viewer" } });
    expect(created.status()).toBe(201);
    expect((await api.delete(`tokens/${((await created.json()) as { id: string }).id}`)).status()).toBe(204);
  }

  const byAction = (await (await api.get("audit?action=registry.create")).json()) as Entry[];
  expect(byAction.map((e) => e.id)).toContain(oldEntry!.id);
  expect(byAction.every((e) => e.action === "registry.create")).toBe(true);

  const byTarget = (await (await api.get(`audit?target=${oldId}`)).json()) as Entry[];
  expect(byTarget).toEqual([oldEntry]);

  const byActor = (await (
    await api.get(`audit?actor=${encodeURIComponent(oldEntry!.actor)}&action=registry.create&target=${oldId}`)
  ).json()) as Entry[];
  expect(byActor).toEqual([oldEntry]);
  const otherActor = (await (await api.get(`audit?actor=nobody%40nowhere.test&target=${oldId}`)).json()) as Entry[];
  expect(otherActor).toEqual([]);

  const at = new Date(oldEntry!.created_at).getTime();
  const window = (await (
    await api.get(`audit?since=${new Date(at).toISOString()}&until=${new Date(at + 1).toISOString()}&target=${oldId}`)
  ).json()) as Entry[];
  expect(window).toEqual([oldEntry]);
  const after = (await (
    await api.get(`audit?since=${new Date(at + 1).toISOString()}&target=${oldId}`)
  ).json()) as Entry[];
  expect(after).toEqual([]);

  const { entries, pages } = await readAllPages(api, "audit?limit=100");
  expect(pages).toBeGreaterThanOrEqual(3);
  const ids = entries.map((e) => e.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids).toEqual([...ids].sort((a, b) => b - a));
  expect(ids).toContain(oldEntry!.id);
  expect(ids.indexOf(oldEntry!.id)).toBeGreaterThanOrEqual(260);

  const filtered = await readAllPages(api, `audit?limit=2&action=registry.create`);
  expect(filtered.entries.map((e) => e.id)).toContain(oldEntry!.id);
  expect(filtered.entries.every((e) => e.action === "registry.create")).toBe(true);
});

test("[audit] bad page and filter values answer 400 naming the parameter", async ({ api }) => {
  const cases: Array<[string, string]> = [
    ["limit=0", "limit"],
    ["limit=abc", "limit"],
    ["limit=100000", "limit"],
    ["cursor=not-a-cursor", "cursor"],
    ["since=yesterday", "since"],
    ["until=2026-01-01", "until"],
    ["since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z", "until"],
  ];
  for (const [query, field] of cases) {
    const res = await api.get(`audit?${query}`);
    expect(res.status(), query).toBe(400);
    const body = (await res.json()) as { error: string; message: string; fields: Record<string, string> };
    expect(body.error, query).toBe("VALIDATION_FAILED");
    expect(Object.keys(body.fields), query).toEqual([field]);
    // The one-line message carries the field's own message, which names it in words ("Limit must be …").
    expect(body.message, query).toContain(body.fields[field]);
    expect(body.fields[field], query).toMatch(new RegExp(`^${field}`, "i"));
  }
});
