// Pure ports of the Go standard library pieces the kubelet keyring relies on: net/url.Parse (Go 1.26 rules),
// net.SplitHostPort and path/filepath.Match.

export type GoUrl = { host: string; path: string };

type GlobToken =
  | { kind: "star" }
  | { kind: "any" }
  | { kind: "literal"; char: number }
  | { kind: "class"; negated: boolean; ranges: Array<[number, number]> };

const userinfoCharacters = /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/;
const hostCharacters = /^[A-Za-z0-9\-_.~!$&'()*+,;=:[\]<>"\u0080-\uffff]*$/;
const utf8 = new TextEncoder();

/** The host and unescaped path url.Parse yields, or null where it returns an error. */
export function parseGoUrl(raw: string): GoUrl | null {
  if (/[\u0000-\u001f\u007f]/.test(raw)) return null;
  const hash = raw.indexOf("#");
  if (hash >= 0 && unescape(raw.slice(hash + 1), "other") === null) return null;
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(raw);
  if (!scheme) return null;
  const rest = raw.slice(scheme[0].length, hash < 0 ? undefined : hash).split("?")[0] ?? "";
  const slash = rest.indexOf("/");
  const host = parseAuthority(slash < 0 ? rest : rest.slice(0, slash));
  const path = unescape(slash < 0 ? "" : rest.slice(slash), "other");
  return host === null || path === null ? null : { host, path };
}

/** net.SplitHostPort, falling back to the whole host and no port on error, as the kubelet does. */
export function splitHostPort(hostport: string): { labels: string[]; port: string } {
  const whole = { labels: hostport.split("."), port: "" };
  const colon = hostport.lastIndexOf(":");
  if (colon < 0) return whole;
  const bracketed = hostport.startsWith("[");
  const close = bracketed ? hostport.indexOf("]") : -1;
  if (bracketed && close + 1 !== colon) return whole;
  const host = bracketed ? hostport.slice(1, close) : hostport.slice(0, colon);
  if (!bracketed && host.includes(":")) return whole;
  if (hostport.slice(bracketed ? 1 : 0).includes("[") || hostport.slice(bracketed ? colon : 0).includes("]")) {
    return whole;
  }
  return { labels: host.split("."), port: hostport.slice(colon + 1) };
}

/** Counts the matcher's steps (tests prove linearity with it); matching gives up past `limit`. */
export type GlobMeter = { steps: number; limit: number };

/** filepath.Match for one DNS label; a malformed pattern matches nothing, as the kubelet ignores the error. */
export function globMatch(pattern: string, label: string, meter?: GlobMeter): boolean {
  const tokens = compileGlob(Array.from(pattern, codePoint));
  return tokens !== null && matchTokens(tokens, Array.from(label, codePoint), meter);
}

type EscapeMode = "host" | "zone" | "other";

function parseAuthority(authority: string): string | null {
  const at = authority.lastIndexOf("@");
  const host = parseHost(authority.slice(at + 1));
  if (at < 0 || host === null) return host;
  const userinfo = authority.slice(0, at);
  const valid =
    userinfoCharacters.test(userinfo) && userinfo.split(":").every((part) => unescape(part, "other") !== null);
  return valid ? host : null;
}

function parseHost(host: string): string | null {
  const open = host.lastIndexOf("[");
  if (open > 0) return null;
  if (open === 0) return parseIPLiteral(host);
  const colon = host.indexOf(":");
  if (colon >= 0 && !/^:[0-9]*$/.test(host.slice(colon))) return null;
  return unescape(host, "host");
}

function parseIPLiteral(host: string): string | null {
  const close = host.lastIndexOf("]");
  if (close < 0 || !/^(?::[0-9]*)?$/.test(host.slice(close + 1))) return null;
  const literal = host.slice(1, close);
  const zoneAt = literal.indexOf("%25");
  const address = unescape(zoneAt < 0 ? literal : literal.slice(0, zoneAt), "host");
  const zone = zoneAt < 0 ? "" : unescape(literal.slice(zoneAt), "zone");
  if (address === null || zone === null || !isIPv6(address + zone)) return null;
  return `[${address}${zone}]${host.slice(close + 1)}`;
}

// netip.ParseAddr accepting IPv6 only (an IPv4 literal in brackets is refused by url.Parse).
function isIPv6(text: string): boolean {
  const zoneAt = text.indexOf("%");
  if (zoneAt === text.length - 1) return false;
  const address = zoneAt < 0 ? text : text.slice(0, zoneAt);
  if (address[address.search(/[.:]/)] !== ":") return false;
  const lastColon = address.lastIndexOf(":");
  const tail = address.slice(lastColon + 1);
  if (tail.includes(".") && !isIPv4(tail)) return false;
  const hex = tail.includes(".") ? `${address.slice(0, lastColon + 1)}0:0` : address;
  const halves = hex.split("::");
  const groups = halves.flatMap((half) => (half === "" ? [] : half.split(":")));
  if (halves.length > 2 || !groups.every((group) => /^[0-9A-Fa-f]{1,4}$/.test(group))) return false;
  return halves.length === 2 ? groups.length <= 7 : groups.length === 8;
}

function isIPv4(text: string): boolean {
  return /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(text);
}

// url.unescape: "%XX" must be hex; hosts may escape only non-ASCII bytes and "%", zones only host bytes.
function unescape(text: string, mode: EscapeMode): string | null {
  if (mode === "other" && !text.includes("%")) return text;
  const bytes: number[] = [];
  for (const token of text.match(/%[0-9A-Fa-f]{2}|%|[^%]+/g) ?? []) {
    if (token === "%") return null;
    if (!token.startsWith("%")) {
      if (mode !== "other" && !hostCharacters.test(token)) return null;
      bytes.push(...utf8.encode(token));
      continue;
    }
    const value = Number.parseInt(token.slice(1), 16);
    if (mode === "host" && value < 0x80 && value !== 0x25) return null;
    if (mode === "zone" && value !== 0x25 && value !== 0x20 && !isHostByte(value)) return null;
    bytes.push(value);
  }
  return new TextDecoder().decode(Uint8Array.from(bytes));
}

function isHostByte(value: number): boolean {
  return value < 0x80 && hostCharacters.test(String.fromCharCode(value));
}

function compileGlob(chars: number[]): GlobToken[] | null {
  const tokens: GlobToken[] = [];
  for (let index = 0; index < chars.length;) {
    const char = chars[index] ?? 0;
    if (char === 0x2a || char === 0x3f) {
      tokens.push({ kind: char === 0x2a ? "star" : "any" });
      index += 1;
    } else if (char === 0x5b) {
      const parsed = compileClass(chars, index + 1);
      if (!parsed) return null;
      tokens.push(parsed.token);
      index = parsed.next;
    } else {
      const escaped = char === 0x5c;
      const literal = escaped ? chars[index + 1] : char;
      if (literal === undefined) return null;
      tokens.push({ kind: "literal", char: literal });
      index += escaped ? 2 : 1;
    }
  }
  return tokens;
}

function compileClass(chars: number[], start: number): { token: GlobToken; next: number } | null {
  const negated = chars[start] === 0x5e;
  const ranges: Array<[number, number]> = [];
  let index = negated ? start + 1 : start;
  while (!(chars[index] === 0x5d && ranges.length > 0)) {
    const low = readClassChar(chars, index);
    if (!low) return null;
    const high = chars[low.next] === 0x2d ? readClassChar(chars, low.next + 1) : low;
    if (!high) return null;
    ranges.push([low.value, high.value]);
    index = high.next;
  }
  return { token: { kind: "class", negated, ranges }, next: index + 1 };
}

function readClassChar(chars: number[], start: number): { value: number; next: number } | null {
  const first = chars[start];
  if (first === undefined || first === 0x2d || first === 0x5d) return null;
  const at = first === 0x5c ? start + 1 : start;
  const value = chars[at];
  if (value === undefined || at + 1 >= chars.length) return null;
  return { value, next: at + 1 };
}

// Every non-star token consumes exactly one character, so a star only ever needs to retry from the latest
// star: the greedy two-pointer walk decides filepath.Match in O(tokens × characters), never exponentially.
function matchTokens(tokens: GlobToken[], text: number[], meter?: GlobMeter): boolean {
  let tokenIndex = 0;
  let textIndex = 0;
  let starToken = -1;
  let starText = 0;
  while (textIndex < text.length) {
    if (meter && ++meter.steps > meter.limit) return false;
    const token = tokens[tokenIndex];
    if (token?.kind === "star") {
      starToken = tokenIndex;
      starText = textIndex;
      tokenIndex += 1;
    } else if (token !== undefined && matchesToken(token, text[textIndex] ?? 0)) {
      tokenIndex += 1;
      textIndex += 1;
    } else if (starToken >= 0) {
      tokenIndex = starToken + 1;
      starText += 1;
      textIndex = starText;
    } else {
      return false;
    }
  }
  while (tokens[tokenIndex]?.kind === "star") tokenIndex += 1;
  return tokenIndex === tokens.length;
}

function matchesToken(token: Exclude<GlobToken, { kind: "star" }>, char: number): boolean {
  if (token.kind === "any") return true;
  if (token.kind === "literal") return token.char === char;
  return token.ranges.some(([low, high]) => low <= char && char <= high) !== token.negated;
}

function codePoint(char: string): number {
  return char.codePointAt(0) ?? 0;
}
