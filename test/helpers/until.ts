/**
 * Waits for a condition by polling it every 20 ms, never for a fixed time: the test goes on as soon
 * as the condition holds, and fails with `what` after `ms` (a limit for a stuck machine, not an
 * expectation of speed).
 */
export async function until(what: string, condition: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
