import type { KubeServiceAccount } from "@/lib/integrations/kube";
import type { Workload } from "@/lib/integrations/kube/workloads";
import type { WiringMode } from "@/lib/sync/wiring-modes";
import { extractWorkloadImages } from "@/lib/sync/workload-images";
import type { Reason } from "./schema";

const fail = (code: Reason["code"], text: string, fix: string): Reason => ({ code, severity: "fail", text, fix });
const ok = (code: Reason["code"], text: string): Reason => ({ code, severity: "ok", text });

/**
 * Whether the workload's pods carry `secret` when the kubelet pulls: a Pod's own spec is final; a template's pods get
 * it from the template, from their ServiceAccount (admission copies those only into pods that list none of their own),
 * or from Regcred's admission webhook.
 */
export function wiringFact(
  workload: Workload,
  secret: string,
  mode: WiringMode,
  serviceAccounts: ReadonlyMap<string, KubeServiceAccount> | undefined,
): Reason {
  const w = extractWorkloadImages(workload);
  const listed = w.imagePullSecrets.map((r) => r.name ?? "");
  if (workload.kind === "Pod") {
    if (listed.includes(secret)) return ok("wired_pod", `The pod lists ${secret} in its imagePullSecrets.`);
    return fail(
      "pod_not_wired",
      `The pod was created without ${secret} in its imagePullSecrets, and a pod's spec cannot change.`,
      w.controlled
        ? "Delete the pod: its controller re-creates it, and the new pod gets the secret."
        : "Re-create the pod (it has no controller to do it): the new pod gets the secret.",
    );
  }
  if (listed.includes(secret)) return ok("wired_template", `The pod template lists ${secret} in its imagePullSecrets.`);
  if (mode === "webhook")
    return ok("wired_webhook", `Regcred's admission webhook adds ${secret} to each new pod of this namespace.`);
  const sa = serviceAccounts?.get(w.serviceAccountName);
  if (!sa)
    return fail(
      "serviceaccount_missing",
      `The ServiceAccount ${w.serviceAccountName} does not exist, so the API server refuses to create the pods.`,
      `Create the ServiceAccount ${w.serviceAccountName} in this namespace; Regcred then wires it.`,
    );
  if (listed.length > 0)
    return fail(
      "template_own_secrets",
      `The pod template lists its own imagePullSecrets (${listed.join(", ")}), so the ServiceAccount's are not added to its pods.`,
      `Add ${secret} to the template's imagePullSecrets, or switch the cluster to podtemplate or webhook wiring.`,
    );
  if (sa.imagePullSecrets.includes(secret))
    return ok(
      "wired_serviceaccount",
      `The ServiceAccount ${sa.name} lists ${secret}, and admission copies it into new pods.`,
    );
  return mode === "podtemplate"
    ? fail(
        "template_not_wired",
        `Neither the pod template nor the ServiceAccount ${sa.name} lists ${secret}.`,
        w.templatePatchable
          ? "Sync the cluster: Regcred patches the template in podtemplate mode."
          : "This template belongs to a controller Regcred does not patch: add the secret there, or use webhook wiring.",
      )
    : fail(
        "serviceaccount_not_wired",
        `The ServiceAccount ${sa.name} does not list ${secret}, so new pods will not carry it.`,
        "Sync the cluster: Regcred wires the ServiceAccount. If it stays unwired, check the cluster's permissions (Clusters → Test).",
      );
}
