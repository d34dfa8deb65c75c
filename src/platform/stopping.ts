// Whether this process stops in its own order when told to (SIGINT, SIGTERM): `opora start` and
// `opora serve` close the web server, the worker and their connections first, and only then the
// embedded database. Any other process lets the embedded database shut down at the signal.
let inOrder = false;

/** Called by a command as it begins to wait for its stop signal. */
export function stopInOrder(): void {
  inOrder = true;
}

export function stopsInOrder(): boolean {
  return inOrder;
}
