// The registry types and their names: the one module the registries table needs from here, kept small.
export const RegistryTypes = ["public", "basic", "amazon_ecr", "google_gcr", "azure_acr", "secret_ref"] as const;
export type RegistryType = (typeof RegistryTypes)[number];

export const typeLabels: Record<RegistryType, string> = {
  public: "Public",
  basic: "Username and password",
  amazon_ecr: "Amazon ECR",
  google_gcr: "Google GCR / Artifact Registry",
  azure_acr: "Azure ACR",
  secret_ref: "Secret reference",
};
