import { headers } from 'next/headers';
import { getAuth } from './auth';

/** The signed-in user of the request being rendered, or null. */
export async function currentUser() {
  const requestHeaders = await headers(); // first: it makes the page dynamic, never prerendered
  const session = await getAuth().api.getSession({ headers: requestHeaders });
  return session?.user ?? null;
}
