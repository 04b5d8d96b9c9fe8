"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { z } from "zod";
import { withActor, withInput } from "../action";
import { AppError } from "../errors";
import type { ActionResult } from "../result";
import { runtime } from "../runtime";
import { inviteUser } from "../users/invites";
import { type InviteResult, InviteUserInput } from "../users/schema";
import { CreateOrgInput, type OrgDetails, type OrgSummary, type OrgView } from "./schema";
import { createOrg, getOrgDetails, isInstanceAdmin, listAllOrgs, setOrgAwsDefaultChain } from "./service";
import { currentSession, setSessionOrg } from "./session-org";

const samePage = /^\/[a-z0-9/-]*$/;

/** The org switcher's form: moves the session to another org the user belongs to, then reloads the page. */
export async function switchOrgAction(form: FormData): Promise<void> {
  const orgId = String(form.get("orgId") ?? "");
  const back = String(form.get("path") ?? "/registries");
  const { db } = (await runtime()).database;
  const session = await currentSession(db);
  if (!session) redirect("/login");
  await setSessionOrg(db, session.token, session.userId, orgId);
  revalidatePath("/", "layout");
  redirect(samePage.test(back) && !back.startsWith("//") ? back : "/registries");
}

export async function createOrgAction(input: z.input<typeof CreateOrgInput>): Promise<ActionResult<OrgView>> {
  const result = await withInput("createOrg", CreateOrgInput, input, (ctx, body) => createOrg(ctx.db, ctx.actor, body));
  if (result.ok) revalidatePath("/", "layout");
  return result;
}

export async function listAllOrgsAction(): Promise<ActionResult<OrgSummary[]>> {
  return withActor("listAllOrgs", (ctx) => listAllOrgs(ctx.db, ctx.actor));
}

/** An instance admin adds a member to any org, whether or not they belong to it. */
export async function addOrgMemberAction(
  orgId: string,
  input: z.input<typeof InviteUserInput>,
): Promise<ActionResult<InviteResult>> {
  return withInput("addOrgMember", InviteUserInput, input, async (ctx, body) => {
    if (!(await isInstanceAdmin(ctx.db, ctx.actor.userId)))
      throw new AppError("FORBIDDEN", "Only an instance admin can add members to another org.");
    const orgs = await listAllOrgs(ctx.db, ctx.actor);
    if (!orgs.some((o) => o.id === orgId)) throw new AppError("NOT_FOUND", `Organization "${orgId}" was not found.`);
    const result = await inviteUser(
      { db: ctx.db, actor: { ...ctx.actor, orgId, role: "admin", label: `${ctx.actor.label} (instance admin)` } },
      body,
    );
    revalidatePath("/settings");
    return result;
  });
}

/** An instance admin lets an org's ECR registries use this server's AWS identity, or stops it. */
export async function setOrgAwsDefaultChainAction(orgId: string, allowed: boolean): Promise<ActionResult<OrgDetails>> {
  const result = await withActor("setOrgAwsDefaultChain", (ctx) =>
    setOrgAwsDefaultChain(ctx.db, ctx.actor, orgId, { aws_default_chain: allowed }),
  );
  if (result.ok) revalidatePath("/settings");
  return result;
}

/** The signed-in user's org with its external ID and whether it may use the server's AWS identity. */
export async function orgAwsAction(): Promise<ActionResult<OrgDetails>> {
  return withActor("orgAws", (ctx) => getOrgDetails(ctx.db, ctx.actor));
}
