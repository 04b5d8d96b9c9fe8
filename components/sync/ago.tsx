export { RelativeTime as Ago } from "@/components/ui/relative-time";
