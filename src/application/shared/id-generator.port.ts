/** Produces new, unique task ids (UUIDs). */
export interface IdGenerator {
  next(): string;
}
