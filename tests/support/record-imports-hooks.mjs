import { appendFileSync } from 'node:fs';
import process from 'node:process';

/** Appends each resolved module URL to IMPORT_LOG (module hooks run on their own thread). */
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (process.env.IMPORT_LOG) appendFileSync(process.env.IMPORT_LOG, `${resolved.url}\n`);
  return resolved;
}
