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

describe("empty access keys in the dialog", () => {
  it("with Access keys chosen, the keys are simply required, whatever the org may use", () => {
    const errors = validateRegistryForm({ ...ecr, awsAuth: "keys" }, false, undefined, false);
    expect(errors).toMatchObject({
      "creds.username": "Access key ID is required for Amazon ECR",
      "creds.password": "Secret access key is required for Amazon ECR",
    });
  });
  it("with the server's identity chosen in an org that may not use it, the message says who can allow it", () => {
    const errors = validateRegistryForm({ ...ecr, awsAuth: "chain" }, false, undefined, false);
    expect(errors["creds.username"]).toMatch(/an instance admin can allow the server's AWS identity for this org/);
  });
});
