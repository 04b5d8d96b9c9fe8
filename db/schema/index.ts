export * from "./api-tokens";
export * from "./audit";
export * from "./orgs";
export * from "./registries";
export * from "./users";
