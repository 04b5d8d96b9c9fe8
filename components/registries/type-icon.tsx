import { type RegistryType, typeLabels } from "@/lib/registries/type-labels";

const looks: Record<RegistryType, { text: string; color: string }> = {
  amazon_ecr: { text: "ECR", color: "#c45500" },
  google_gcr: { text: "GCR", color: "#1a73e8" },
  azure_acr: { text: "ACR", color: "#0067b8" },
  basic: { text: "V2", color: "#5b6b7f" },
  public: { text: "PUB", color: "#2e7d32" },
  secret_ref: { text: "REF", color: "#7b3fb8" },
};

export function TypeIcon({ type }: { type: RegistryType }) {
  const look = looks[type];
  return (
    <span className="type-icon" style={{ background: look.color }} aria-hidden="true" title={typeLabels[type]}>
      {look.text}
    </span>
  );
}

export function TypeLabel({ type }: { type: RegistryType }) {
  return (
    <span className="row">
      <TypeIcon type={type} />
      <span>{typeLabels[type]}</span>
    </span>
  );
}
