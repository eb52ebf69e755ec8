/**
 * When aecheck may colour its output: only on a terminal, and never when NO_COLOR is set to a non-empty value
 * (https://no-color.org). Piped or redirected output, CI logs and `NO_COLOR=1` get plain text.
 */

/** Whether `stream` may carry ANSI colour: it is a TTY and NO_COLOR is unset or empty. Default stream: stdout. */
export function colourAllowed(stream: { isTTY?: boolean } = process.stdout): boolean {
  return stream.isTTY === true && !process.env.NO_COLOR;
}

/**
 * The `style` option of a cli-table3 table written to `stream`: cli-table3 colours the header red and the border grey
 * whatever the stream is, so without colour both colour lists are emptied. Default stream: stdout.
 */
export function tableStyle(
  stream: { isTTY?: boolean } = process.stdout,
): { head: string[]; border: string[] } | undefined {
  return colourAllowed(stream) ? undefined : { head: [], border: [] };
}
