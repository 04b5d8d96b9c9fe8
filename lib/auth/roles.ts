export const Roles = ["viewer", "manager", "admin"] as const;
export type Role = (typeof Roles)[number];

const rank: Record<Role, number> = { viewer: 0, manager: 1, admin: 2 };

export function roleAtLeast(role: Role, need: Role): boolean {
  return rank[role] >= rank[need];
}

export const roleDescriptions: Record<Role, string> = {
  viewer: "Reads registries, clusters and secrets",
  manager: "Also writes and tests registries",
  admin: "Also manages users, tokens and clusters",
};
