import { describe, expect, it } from "vitest";
import { numericHostSpelling } from "./host";

describe("numericHostSpelling", () => {
  it.each([
    ["1572395042", { spelled: "1572395042", address: "93.184.216.34" }],
    ["0x7f000001:5000/team", { spelled: "0x7f000001", address: "127.0.0.1" }],
    ["0177.0.0.1", { spelled: "0177.0.0.1", address: "127.0.0.1" }],
    ["127.1", { spelled: "127.1", address: "127.0.0.1" }],
    ["127.0.0.1:5000", null],
    ["registry.example.com", null],
    ["[::1]:5000", null],
    ["", null],
  ])("%s", (registry, want) => expect(numericHostSpelling(registry)).toEqual(want));
});
