// Pure ports of the Go standard library pieces the kubelet keyring relies on: net/url.Parse (Go 1.26 rules),
// net.SplitHostPort and path/filepath.Match.

export type GoUrl = { host: string; path: string };

type GlobToken =
  | { kind: "star" }
  | { kind: "any" }
  | { kind: "literal"; char: number }
  | { kind: "class"; negated: boolean; ranges: Array<[number, number]> };

const userinfoCharacters = /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/;
const hostCharacters = /^[A-Za-z0-9\-_.~!$&'()*+,;=:[\]<>"%\u0080-\uffff]*$/;
const utf8 = new TextEncoder();

/** The host and unescaped path url.Parse yields, or null where it returns an error. */
export function parseGoUrl(raw: string): GoUrl | null {
  if (/[\u0000-\u001f\u007f]/.test(raw)) return null;
  const hash = raw.indexOf("#");
  if (hash >= 0 && unescape(raw.slice(hash + 1), false) === null) return null;
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(raw);
  if (!scheme) return null;
  const rest = raw.slice(scheme[0].length, hash < 0 ? undefined : hash).split("?")[0] ?? "";
  const slash = rest.indexOf("/");
  const host = parseAuthority(slash < 0 ? rest : rest.slice(0, slash));
  const path = unescape(slash < 0 ? "" : rest.slice(slash), false);
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

/** filepath.Match for one DNS label; a malformed pattern matches nothing, as the kubelet ignores the error. */
export function globMatch(pattern: string, label: string): boolean {
  const tokens = compileGlob(Array.from(pattern, codePoint));
  return tokens !== null && matchTokens(tokens, Array.from(label, codePoint), 0, 0);
}

function parseAuthority(authority: string): string | null {
  const at = authority.lastIndexOf("@");
  const host = parseHost(authority.slice(at + 1));
  if (at < 0 || host === null) return host;
  const userinfo = authority.slice(0, at);
  const valid = userinfoCharacters.test(userinfo) && userinfo.split(":").every((part) => unescape(part, false) !== null);
  return valid ? host : null;
}

function parseHost(host: string): string | null {
  const open = host.lastIndexOf("[");
  if (open > 0) return null;
  if (open === 0) {
    const close = host.lastIndexOf("]");
    if (close < 0 || !/^(?::[0-9]*)?$/.test(host.slice(close + 1))) return null;
    // Zones and embedded IPv4 are refused here; neither can ever match an image host, which allows neither.
    return isPlainIPv6(host.slice(1, close)) ? host : null;
  }
  const colon = host.indexOf(":");
  if (colon >= 0 && !/^:[0-9]*$/.test(host.slice(colon))) return null;
  return hostCharacters.test(host) ? unescape(host, true) : null;
}

function isPlainIPv6(address: string): boolean {
  const halves = address.split("::");
  const groups = halves.flatMap((half) => (half === "" ? [] : half.split(":")));
  if (halves.length > 2 || !groups.every((group) => /^[0-9A-Fa-f]{1,4}$/.test(group))) return false;
  return halves.length === 2 ? groups.length <= 7 : groups.length === 8;
}

// url.unescape: "%XX" must be hex; in hosts only non-ASCII bytes (and %25) may be escaped.
function unescape(text: string, host: boolean): string | null {
  if (!text.includes("%")) return text;
  const bytes: number[] = [];
  for (const token of text.match(/%[0-9A-Fa-f]{2}|%|[^%]+/g) ?? []) {
    if (token === "%") return null;
    if (!token.startsWith("%")) {
      bytes.push(...utf8.encode(token));
      continue;
    }
    const value = Number.parseInt(token.slice(1), 16);
    if (host && value < 0x80 && value !== 0x25) return null;
    bytes.push(value);
  }
  return new TextDecoder().decode(Uint8Array.from(bytes));
}

function compileGlob(chars: number[]): GlobToken[] | null {
  const tokens: GlobToken[] = [];
  for (let index = 0; index < chars.length; ) {
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

function matchTokens(tokens: GlobToken[], text: number[], tokenIndex: number, textIndex: number): boolean {
  const token = tokens[tokenIndex];
  if (token === undefined) return textIndex === text.length;
  if (token.kind === "star") {
    for (let end = textIndex; end <= text.length; end += 1) {
      if (matchTokens(tokens, text, tokenIndex + 1, end)) return true;
    }
    return false;
  }
  const char = text[textIndex];
  if (char === undefined || !matchesToken(token, char)) return false;
  return matchTokens(tokens, text, tokenIndex + 1, textIndex + 1);
}

function matchesToken(token: Exclude<GlobToken, { kind: "star" }>, char: number): boolean {
  if (token.kind === "any") return true;
  if (token.kind === "literal") return token.char === char;
  return token.ranges.some(([low, high]) => low <= char && char <= high) !== token.negated;
}

function codePoint(char: string): number {
  return char.codePointAt(0) ?? 0;
}
