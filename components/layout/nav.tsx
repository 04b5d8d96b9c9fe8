"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const items: Array<{ href: string; label: string }> = [
  { href: "/registries", label: "Registries" },
  { href: "/clusters", label: "Clusters" },
  { href: "/secrets", label: "Secrets" },
  { href: "/readiness", label: "Readiness" },
  { href: "/sync", label: "Sync" },
  { href: "/audit", label: "Audit" },
  { href: "/settings", label: "Settings" },
];

export function Nav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="nav">
      {items.map((item) => (
        <Link
          key={item.href}
          href={item.href}
          className="nav-link"
          aria-current={pathname.startsWith(item.href) ? "page" : undefined}
        >
          {item.label}
        </Link>
      ))}
    </nav>
  );
}
