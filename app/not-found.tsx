import type { Metadata } from "next";
import Link from "next/link";
import { Brand } from "@/components/layout/brand";
import { buttonClass } from "@/components/ui/button";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <main id="main" className="auth-wrap">
      <section className="card auth-card stack" aria-labelledby="not-found-heading">
        <Brand />
        <div>
          <h1 id="not-found-heading">Page not found</h1>
          <p className="muted" style={{ margin: "4px 0 0" }}>
            There is no page at this address. It may have moved, or the link may be mistyped.
          </p>
        </div>
        <p style={{ margin: 0 }}>
          <Link href="/registries" className={buttonClass("primary")}>
            Go to Registries
          </Link>
        </p>
      </section>
    </main>
  );
}
