import { z } from "zod";
import { typeError } from "../validation";

/** How the admission webhook authenticates the API server calling it, per cluster. */
export const WebhookAuthModes = ["token", "mtls", "none"] as const;
export const WebhookAuthMode = z.enum(WebhookAuthModes, {
  error: typeError("Webhook caller authentication", `one of ${WebhookAuthModes.join(", ")}`),
});
export type WebhookAuthMode = z.infer<typeof WebhookAuthMode>;

export const webhookAuthLabels: Record<WebhookAuthMode, { label: string; explanation: string }> = {
  token: {
    label: "Bearer token (recommended)",
    explanation:
      "The API server presents a token Regcred generates (shown once); give it to the API server in its AdmissionConfiguration.",
  },
  mtls: {
    label: "Client certificate (mTLS)",
    explanation: "The API server presents a client certificate signed by the CA you paste here.",
  },
  none: {
    label: "None (managed clusters)",
    explanation:
      "Anyone who can reach the webhook can send reviews: it only patches Pods and writes secrets only for registries the controller already saw used in that namespace.",
  },
};
