/**
 * When aecheck may colour its output: only on a terminal, and never when NO_COLOR is set to a non-empty value
 * (https://no-color.org). Piped or redirected output, CI logs and `NO_COLOR=1` get plain text.
 */

/** Whether `stream` may carry ANSI colour: it is a TTY and NO_COLOR is unset or empty. Default stream: stdout. */
export function colourAllowed(stream: { isTTY?: boolean } = process.stdout): boolean {
  return stream.isTTY === true && !process.env.NO_COLOR;
}

/**
 * The `style` option of every cli-table3 table: no colours of cli-table3's own. Its colour library decides by itself
 * whether to colour (it checks `CI` and whether stdout was a terminal when it loaded), so it could colour piped output
 * or stay plain on a terminal; aecheck decides instead, with {@link colourAllowed}, and colours the header itself
 * ({@link tableHead}).
 */
export function tableStyle(_stream: { isTTY?: boolean } = process.stdout): { head: string[]; border: string[] } {
  return { head: [], border: [] };
}

/** A table's header cells, bold where `stream` may carry colour ({@link colourAllowed}), plain otherwise. */
export function tableHead(cells: readonly string[], stream: { isTTY?: boolean } = process.stdout): string[] {
  return colourAllowed(stream) ? cells.map((c) => `\x1b[1m${c}\x1b[22m`) : [...cells];
}
