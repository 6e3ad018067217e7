/**
 * What `q` searches: the title and the description, lower-cased, with a line break between them.
 * A search text has no control characters, so a match never spans the two. Every adapter searches
 * this same text, so they all find the same tasks.
 */
export function searchTextOf(task: { title: string; description: string | null }): string {
  return foldCase(`${task.title}\n${task.description ?? ''}`);
}

/** The text a search for `q` looks for inside `searchTextOf`. */
export function searchNeedle(q: string): string {
  return foldCase(q);
}

/** Lower case, with the Greek final sigma read as a sigma: its form depends on what follows. */
function foldCase(text: string): string {
  return text.toLowerCase().replace(/ς/g, 'σ');
}
