export * from "./api-tokens";
export * from "./audit";
export * from "./clusters";
export * from "./orgs";
export * from "./registries";
export * from "./users";
export * from "./sync";
export * from "./installation";
