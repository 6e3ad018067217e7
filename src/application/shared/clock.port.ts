/** The current time; tests pass a fixed one so results reproduce. */
export interface Clock {
  now(): Date;
}
