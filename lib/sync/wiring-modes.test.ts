import { describe, expect, it } from "vitest";
import { plannedWiringMode, WiringModes } from "./wiring-modes";

describe("plannedWiringMode", () => {
  const planned = { serviceaccount: "serviceaccount", webhook: "serviceaccount", podtemplate: "podtemplate" } as const;

  it.each(WiringModes)("%s", (mode) => expect(plannedWiringMode(mode)).toBe(planned[mode]));
});
