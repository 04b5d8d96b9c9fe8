import Link from "next/link";

/** The product's mark and name, linking to the start page. */
export function Brand() {
  return (
    <Link href="/registries" className="brand">
      <span aria-hidden="true" className="brand-mark">
        rc
      </span>
      Regcred
    </Link>
  );
}
