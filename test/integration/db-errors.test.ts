import { describe, expect, it } from "vitest";
import { isUniqueViolation } from "@/db/errors";
import { memberships, orgs } from "@/db/schema";
import { describeError } from "@/lib/log";
import { backends, createOrg } from "../helpers/db";

async function failure(write: () => Promise<unknown>): Promise<unknown> {
  return write().then(
    () => {
      throw new Error("expected the write to fail");
    },
    (err: unknown) => err,
  );
}

describe.each(backends)("[db] driver errors on $name", (backend) => {
  it("a duplicate key is a unique violation; a missing reference is not", async () => {
    const database = await backend.open();
    try {
      const { db } = database;
      const orgId = await createOrg(db);
      const duplicate = await failure(() => db.insert(orgs).values({ id: orgId, name: "again" }));
      const dangling = await failure(() =>
        db
          .insert(memberships)
          .values({ orgId: `${orgId}-missing`, userId: "00000000-0000-4000-8000-000000000000", role: "viewer" }),
      );
      expect(isUniqueViolation(duplicate)).toBe(true);
      expect(isUniqueViolation(dangling)).toBe(false);
      expect(isUniqueViolation(new Error("not a database error"))).toBe(false);
    } finally {
      await database.close();
    }
  });

  it("a logged query error names the driver's message and code, not the query's parameters", async () => {
    const database = await backend.open();
    try {
      const { db } = database;
      const orgId = await createOrg(db);
      const canary = `canary-${orgId}-Zx9q7Lm2Pw4Rt8Yv`;
      const err = await failure(() => db.insert(orgs).values({ id: orgId, name: canary }));
      const fields = describeError(err);
      expect(fields).toMatchObject({ errorCode: "23505" });
      expect(String(fields.error)).toMatch(/duplicate key value violates unique constraint/);
      expect(JSON.stringify(fields)).not.toContain(canary);
    } finally {
      await database.close();
    }
  });
});
