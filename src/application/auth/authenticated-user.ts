/** Who is calling, as the verified token says. `id` is the token's `sub`. */
export interface AuthenticatedUser {
  readonly id: string;
  readonly email: string | null;
  readonly name: string | null;
}
