import { describe, expect, it } from "vitest";
import { formatDuration, formatRelative, formatUtc, msUntilRelativeChange, type RelativeKind } from "./time";

const now = Date.parse("2026-05-01T12:00:00.000Z");
const s = 1000;
const min = 60 * s;
const h = 60 * min;
const d = 24 * h;

describe("formatDuration", () => {
  it.each([
    [0, "under a minute"],
    [59 * s, "under a minute"],
    [min, "1 min"],
    [59 * min + 59 * s, "59 min"],
    [h, "1 h"],
    [3 * h + 12 * min + 40 * s, "3 h 12 min"],
    [d, "1 d"],
    [d + 5 * min, "1 d"],
    [2 * d + 5 * h + 59 * min, "2 d 5 h"],
    [-(3 * h), "3 h"],
  ])("%d ms reads %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("formatRelative", () => {
  it.each<[string, number, RelativeKind, string]>([
    ["an event now", 0, "event", "just now"],
    ["an event 59 s ago", -59 * s, "event", "just now"],
    ["an event 2 min ago", -2 * min, "event", "2 min ago"],
    ["an event 3 h 12 min ago", -(3 * h + 12 * min), "event", "3 h 12 min ago"],
    ["an event 2 d 3 h ago", -(2 * d + 3 * h), "event", "2 d 3 h ago"],
    // The server's clock ahead of the browser's, or a row newer than the last tick: never "in …".
    ["an event 5 s ahead", 5 * s, "event", "just now"],
    ["an event 10 min ahead", 10 * min, "event", "just now"],
    ["a deadline in 3 h", 3 * h, "deadline", "in 3 h"],
    ["a deadline in 30 s", 30 * s, "deadline", "in under a minute"],
    ["a deadline now", 0, "deadline", "just now"],
    ["a deadline passed 5 min ago", -5 * min, "deadline", "5 min ago"],
  ])("%s reads %s", (_, delta, kind, text) => {
    expect(formatRelative(new Date(now + delta).toISOString(), now, kind)).toBe(text);
  });

  it("takes epoch milliseconds too", () => {
    expect(formatRelative(now - 2 * min, now)).toBe("2 min ago");
  });
});

describe("msUntilRelativeChange", () => {
  it.each<[string, number, RelativeKind, number]>([
    ["an event just now: at its first minute", -10 * s, "event", 50 * s],
    ["an event 2 min 30 s ago: at 3 min", -(2 * min + 30 * s), "event", 30 * s],
    ["an event 5 s ahead: a minute after it", 5 * s, "event", 65 * s],
    ["an event 3 h 12 min 40 s ago: at 13 min", -(3 * h + 12 * min + 40 * s), "event", 20 * s],
    ["an event 2 d 3 h 10 min ago: at the next hour", -(2 * d + 3 * h + 10 * min), "event", 50 * min],
    ["a deadline in 30 s: when it passes", 30 * s, "deadline", 30 * s],
    ["a deadline in 3 min 20 s: below 3 min", 3 * min + 20 * s, "deadline", 20 * s + 1],
    ["a deadline in 2 d 5 h 20 min: below 2 d 5 h", 2 * d + 5 * h + 20 * min, "deadline", 20 * min + 1],
    ["a deadline 90 s ago: at 2 min", -90 * s, "deadline", 30 * s],
  ])("%s", (_, delta, kind, wait) => {
    expect(msUntilRelativeChange(now + delta, now, kind)).toBe(wait);
  });

  it.each<[number, RelativeKind]>([
    [-10 * s, "event"],
    [-(2 * min + 30 * s), "event"],
    [5 * s, "event"],
    [-(2 * d + 3 * h + 10 * min), "event"],
    [3 * min + 20 * s, "deadline"],
    [30 * s, "deadline"],
    [2 * d + 5 * h + 20 * min, "deadline"],
  ])("the text is the same until then and differs after (delta %d, %s)", (delta, kind) => {
    const at = now + delta;
    const wait = msUntilRelativeChange(at, now, kind);
    expect(formatRelative(at, now + wait - 1, kind)).toBe(formatRelative(at, now, kind));
    expect(formatRelative(at, now + wait, kind)).not.toBe(formatRelative(at, now, kind));
  });
});

describe("formatUtc", () => {
  it("shows minutes in UTC", () => {
    expect(formatUtc("2026-05-01T12:34:56.789Z")).toBe("2026-05-01 12:34 UTC");
  });
});
