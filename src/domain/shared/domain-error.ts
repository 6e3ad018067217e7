/**
 * Base of every error the core can throw on purpose. `type` is a literal per subclass so the
 * HTTP edge can map each one to a status in a table the compiler checks.
 */
export abstract class DomainError extends Error {
  abstract readonly type: string;

  protected constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
