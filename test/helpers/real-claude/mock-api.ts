// The mock API tied to the tests' cleanup: one per test (startMockApi) or one per file (through
// useRealClaude, which most tests want: the CLI's start-up dominates, not the mock's).
import { onCleanup } from '../cleanup.js';
import { type MockApi, startMockServer } from './mock-server.js';

export type { MockApi, MockRequest } from './mock-server.js';

/** A mock API for one test: closed (its held sockets destroyed) by the next cleanup(). */
export async function startMockApi(): Promise<MockApi> {
  const api = await startMockServer();
  onCleanup(() => void api.close());
  return api;
}
