/** The parsed JSON, or null when the text is not JSON (for input that may be anything: answers, annotations, files). */
export function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
