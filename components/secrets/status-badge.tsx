import { Badge } from "@/components/ui/badge";
import { type SecretStatus, statusLabels } from "@/lib/secrets/schema";

export const statusTones = {
  valid: "ok",
  expiring_soon: "warn",
  expired: "bad",
  orphaned: "warn",
  not_managed: "neutral",
} as const;

export function StatusBadge({ status, reason }: { status: SecretStatus; reason?: string }) {
  return (
    <span data-status={status}>
      <Badge tone={statusTones[status]} title={reason}>
        {statusLabels[status]}
      </Badge>
    </span>
  );
}
