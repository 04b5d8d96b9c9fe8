/** One challenge of a WWW-Authenticate header (RFC 7235): scheme lower-cased, parameter names lower-cased. */
export type Challenge = { scheme: string; params: Record<string, string>; token68?: string };

const tchar = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

class Cursor {
  i = 0;
  constructor(readonly s: string) {}
  get done() {
    return this.i >= this.s.length;
  }
  get ch() {
    return this.s[this.i] ?? "";
  }
  skipSpaces() {
    while (this.ch === " " || this.ch === "\t") this.i++;
  }
  skipSeparators() {
    while (this.ch === " " || this.ch === "\t" || this.ch === ",") this.i++;
  }
  token(): string {
    const start = this.i;
    while (!this.done && tchar.test(this.ch)) this.i++;
    return this.s.slice(start, this.i);
  }
  quoted(): string {
    this.i++;
    let out = "";
    while (!this.done && this.ch !== '"') {
      if (this.ch === "\\" && this.i + 1 < this.s.length) this.i++;
      out += this.ch;
      this.i++;
    }
    this.i++;
    return out;
  }
}

/** Reads a token68 right after the scheme ("Negotiate abc=="); otherwise leaves the cursor where it was. */
function readToken68(c: Cursor): string | undefined {
  const start = c.i;
  while (!c.done && /[A-Za-z0-9\-._~+/]/.test(c.ch)) c.i++;
  while (c.ch === "=") c.i++;
  const value = c.s.slice(start, c.i);
  c.skipSpaces();
  if (value && (c.done || c.ch === ",")) return value;
  c.i = start;
  return undefined;
}

function readParams(c: Cursor, challenge: Challenge): void {
  for (;;) {
    c.skipSeparators();
    if (c.done) return;
    const save = c.i;
    const name = c.token();
    if (!name) {
      c.i++;
      continue;
    }
    c.skipSpaces();
    if (c.ch !== "=") {
      c.i = save;
      return;
    }
    c.i++;
    c.skipSpaces();
    const value = c.s[c.i] === '"' ? c.quoted() : c.token();
    challenge.params[name.toLowerCase()] = value;
  }
}

/** Parses every challenge in a WWW-Authenticate value, including several joined by commas. Never throws. */
export function parseWwwAuthenticate(header: string | string[] | undefined | null): Challenge[] {
  if (!header) return [];
  if (Array.isArray(header)) return header.flatMap((h) => parseWwwAuthenticate(h));
  const c = new Cursor(header);
  const out: Challenge[] = [];
  while (!c.done) {
    c.skipSeparators();
    if (c.done) break;
    const scheme = c.token();
    if (!scheme) {
      c.i++;
      continue;
    }
    const challenge: Challenge = { scheme: scheme.toLowerCase(), params: {} };
    out.push(challenge);
    if (c.ch !== " " && c.ch !== "\t") continue;
    c.skipSpaces();
    const t68 = readToken68(c);
    if (t68 !== undefined) challenge.token68 = t68;
    else readParams(c, challenge);
  }
  return out;
}

/** Bearer beats Basic, as in Docker's client; other schemes are ignored. */
export function pickChallenge(challenges: Challenge[]): Challenge | null {
  return challenges.find((c) => c.scheme === "bearer") ?? challenges.find((c) => c.scheme === "basic") ?? null;
}

/** `Bearer realm="…" service="…" scope="…"` for step details. */
export function describeChallenge(c: Challenge): string {
  const scheme = c.scheme.charAt(0).toUpperCase() + c.scheme.slice(1);
  const params = ["realm", "service", "scope"]
    .filter((k) => c.params[k] !== undefined)
    .map((k) => `${k}="${c.params[k]}"`);
  return [scheme, ...params].join(" ");
}
