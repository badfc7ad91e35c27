/** Splits a byte stream into lines, keeping a partial last line until more data (or the end) arrives. */
export function createLineSplitter(
  onLine: (line: string) => void,
  maxPendingLine = 64 * 1024,
): { push(chunk: string): void; end(): void } {
  let pending = "";
  return {
    push(chunk) {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) onLine(line.replace(/\r$/, ""));
      // Progress bars redraw with \r and never end a line: flush rather than buffer without bound.
      if (pending.length > maxPendingLine) {
        onLine(pending);
        pending = "";
      }
    },
    end() {
      if (pending !== "") onLine(pending);
      pending = "";
    },
  };
}
