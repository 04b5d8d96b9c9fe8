export {
  buildWebhookConfiguration,
  mutatePath,
  namespaceSelectorFor,
  webhookConfigurationName,
  type WebhookEndpoint,
} from "./configuration";
export { registerWebhook, syncWebhookRegistration, unregisterWebhook, type RegistrationOptions } from "./registration";
export {
  reconcileWebhookRegistration,
  startWebhookRuntime,
  stopWebhookRuntime,
  webhookEndpoint,
  type WebhookRuntimeOptions,
} from "./runtime";
export {
  DEFAULT_BUDGET_MS,
  startWebhookServer,
  type ReviewEvent,
  type WebhookServer,
  type WebhookServerOptions,
} from "./server";
export { parseWebhookSettings, webhookSettingsFromEnv, type WebhookSettings } from "./settings";
