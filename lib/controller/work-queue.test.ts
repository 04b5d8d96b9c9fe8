import { afterEach, describe, expect, it, vi } from "vitest";
import { WorkQueue } from "./work-queue";

afterEach(() => vi.useRealTimers());

describe("WorkQueue", () => {
  it("works a namespace added several times once, and says when work is ready", () => {
    const ready = vi.fn();
    const q = new WorkQueue(ready);
    q.add("a");
    q.add("b");
    q.add("a");
    expect(ready).toHaveBeenCalledTimes(3);
    expect(q.take().sort()).toEqual(["a", "b"]);
    expect(q.take()).toEqual([]);
  });

  it("brings a failed namespace back after a backoff that doubles per failure and restarts after forget", () => {
    vi.useFakeTimers();
    const q = new WorkQueue(
      () => {},
      () => 0.999,
    );
    q.retryLater("a");
    vi.advanceTimersByTime(4_000);
    expect(q.take()).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(q.take()).toEqual(["a"]);
    // Second failure in a row: up to 10 s.
    q.retryLater("a");
    vi.advanceTimersByTime(9_000);
    expect(q.take()).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(q.take()).toEqual(["a"]);
    q.forget("a");
    q.retryLater("a");
    vi.advanceTimersByTime(5_000);
    expect(q.take()).toEqual(["a"]);
  });

  it("keeps one pending retry per namespace, and clear drops waiting ones", () => {
    vi.useFakeTimers();
    const q = new WorkQueue(
      () => {},
      () => 0.5,
    );
    q.retryLater("a");
    q.retryLater("a");
    expect(q.waiting).toBe(1);
    q.clear();
    vi.advanceTimersByTime(600_000);
    expect(q.take()).toEqual([]);
  });
});
