import { describe, expect, it } from "vitest";
import { emptyForm, toRequestBody, validateRegistryForm } from "./form";

const role = "arn:aws:iam::123456789012:role/pull";
const ecr = { ...emptyForm("amazon_ecr"), id: "ecr", registry: "123456789012.dkr.ecr.eu-west-1.amazonaws.com" };

describe("the ECR authentication choice in the registry dialog", () => {
  it("a role assumed by the server's identity always sends the org's external ID, even with the box unticked", () => {
    const body = toRequestBody({ ...ecr, awsAuth: "role-chain", awsRoleArn: role, awsUseExternalId: false });
    expect(body).toMatchObject({ aws_role_arn: role, aws_use_external_id: true });
    expect(validateRegistryForm({ ...ecr, awsAuth: "role-chain", awsRoleArn: role }, false, undefined, true)).toEqual(
      {},
    );
  });

  it("a role assumed from the registry's own keys sends it only when asked", () => {
    const keys = {
      ...ecr,
      awsAuth: "role-keys" as const,
      awsRoleArn: role,
      creds: { username: "AKIA", password: "s" },
    };
    expect(toRequestBody({ ...keys, awsUseExternalId: false })).toMatchObject({ aws_use_external_id: false });
    expect(toRequestBody({ ...keys, awsUseExternalId: true })).toMatchObject({ aws_use_external_id: true });
  });
});
