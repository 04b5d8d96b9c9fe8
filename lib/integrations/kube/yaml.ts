import "server-only";
import { fail, type Failure, ok, type Result } from "../../result";
import { sdk } from "./sdk";

export type YamlParse = Result<unknown, Failure<"invalid">>;

/** Parses kubeconfig text (YAML or JSON); the error names the position only, never the text around it. */
export function parseYamlText(text: string): YamlParse {
  try {
    return ok(sdk().loadYaml<unknown>(text));
  } catch (err) {
    const e = err as { reason?: unknown; mark?: { line?: number; column?: number } };
    const reason = typeof e.reason === "string" ? e.reason : "not valid YAML or JSON";
    const where =
      typeof e.mark?.line === "number" ? ` at line ${e.mark.line + 1}, column ${(e.mark.column ?? 0) + 1}` : "";
    return fail({ kind: "invalid", message: `${reason}${where}` });
  }
}
