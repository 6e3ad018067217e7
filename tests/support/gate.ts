export interface Gate<T> {
  readonly promise: Promise<T>;
  open(value: T): void;
}

/** A promise the test settles when it chooses, to hold a call (a fetch, a refresh) in flight. */
export function aGate<T>(): Gate<T> {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
