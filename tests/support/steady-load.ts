/** What one request of a load got: its status, or the error of a request that got no answer. */
export interface LoadOutcome {
  readonly requestId: string;
  readonly status?: number;
  /** The start of the body of an answer other than 2xx. */
  readonly body?: string;
  readonly error?: string;
}

export interface SteadyLoad {
  /** The outcomes so far. */
  outcomes(): readonly LoadOutcome[];
  /** Lets each worker finish its request in flight, then returns every outcome. */
  stop(): Promise<readonly LoadOutcome[]>;
}

/**
 * `workers` clients, each sending one request after another (`send`, given a fresh X-Request-Id
 * to use) until stopped: a steady trickle whose every answer is recorded.
 */
export function steadyLoad(
  workers: number,
  send: (requestId: string, sequence: number) => Promise<Response>,
  label = 'load',
): SteadyLoad {
  const outcomes: LoadOutcome[] = [];
  let running = true;
  const work = async (worker: number) => {
    for (let sequence = 0; running; sequence++) {
      const requestId = `${label}-${worker}-${sequence}`;
      try {
        const res = await send(requestId, sequence);
        const body = await res.text();
        outcomes.push({
          requestId,
          status: res.status,
          ...(res.ok ? {} : { body: body.slice(0, 200) }),
        });
      } catch (error) {
        outcomes.push({ requestId, error: String(error) });
      }
    }
  };
  const done = Promise.all(Array.from({ length: workers }, (_, worker) => work(worker)));
  return {
    outcomes: () => outcomes,
    async stop() {
      running = false;
      await done;
      return outcomes;
    },
  };
}
