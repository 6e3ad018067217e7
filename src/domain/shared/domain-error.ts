/**
 * Every error the core throws on purpose, by its `type`. Each error's own file adds itself here
 * (declaration merging), so an error whose type is not listed does not compile, and the HTTP
 * edge, which maps every listed type, cannot forget one.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by each error's file
export interface DomainErrors {}

export type DomainErrorType = keyof DomainErrors;

/** Base of every error the core can throw on purpose; `type` names it in `DomainErrors`. */
export abstract class DomainError extends Error {
  abstract readonly type: DomainErrorType;

  protected constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
