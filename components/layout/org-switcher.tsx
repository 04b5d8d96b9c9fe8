"use client";

import { usePathname } from "next/navigation";
import { useId } from "react";
import { switchOrgAction } from "@/lib/orgs/actions";
import type { OrgView } from "@/lib/orgs/schema";

/** Shows the current org; with more than one, a labelled select and a Switch button (keyboard- and no-JS-friendly). */
export function OrgSwitcher({ current, orgs }: { current: string; orgs: OrgView[] }) {
  const id = useId();
  const pathname = usePathname();
  if (orgs.length < 2) {
    return (
      <p className="org-switcher" style={{ margin: 0 }}>
        <span className="muted">Org</span> <strong>{current}</strong>
      </p>
    );
  }
  return (
    <form action={switchOrgAction} className="org-switcher" aria-label="Switch org">
      <label htmlFor={id} className="muted">
        Org
      </label>
      <div className="row" style={{ gap: 6 }}>
        <select id={id} name="orgId" defaultValue={current} key={current}>
          {orgs.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name === o.id ? o.id : `${o.name} (${o.id})`} · {o.role}
            </option>
          ))}
        </select>
        <input type="hidden" name="path" value={pathname} />
        <button type="submit" className="btn btn-sm">
          Switch
        </button>
      </div>
    </form>
  );
}
