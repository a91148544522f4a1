// The worker side of guard.ts: loads the TypeScript targets through tsx, then answers one call at a time.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { init, targets, EXPECTED_ERRORS } = await import('./targets.ts');
const { isShipgateError } = await import('../../src/errors/shipgate-error.ts');
await init();

parentPort.on('message', ({ id, target, args }) => {
  const started = performance.now();
  try {
    const value = targets[target](...args);
    parentPort.postMessage({ id, ok: true, value, ms: performance.now() - started });
  } catch (error) {
    const name = error?.constructor?.name ?? typeof error;
    const expected = isShipgateError(error) || (EXPECTED_ERRORS[target] ?? []).includes(name);
    parentPort.postMessage({ id, ok: false, expected, name, message: String(error?.message ?? error), stack: String(error?.stack ?? error), ms: performance.now() - started });
  }
});
parentPort.postMessage({ ready: true });
