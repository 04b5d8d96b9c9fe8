import { describe, expect, it } from "vitest";
import { parseJsonOrNull } from "./json";

describe("parseJsonOrNull", () => {
  it.each([
    ['{"a":1}', { a: 1 }],
    ["[1,2]", [1, 2]],
    ['"text"', "text"],
    ["null", null],
    ["", null],
    ["not json", null],
    ["{", null],
    ["<html>", null],
  ])("%j", (text, expected) => expect(parseJsonOrNull(text)).toEqual(expected));
});
