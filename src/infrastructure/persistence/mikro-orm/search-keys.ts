import { createHash } from 'node:crypto';

/**
 * Keys of PostgreSQL's GIN indexes for `q` and `tag`, scoped to their owner. A GIN index on
 * (user_id, trigrams) still reads each trigram's postings across every user (measured: a search
 * cost grew with the table, up to 5 ms at a million tasks); keys that start with the owner keep
 * each posting list to one owner's tasks, so a search costs what that owner's matches cost.
 */

/** 8 hex characters of the owner id's hash: two owners sharing it only share postings. */
function ownerKey(ownerId: string): string {
  return createHash('sha256').update(ownerId).digest('hex').slice(0, 8);
}

/** Three letters or digits in a row: a substring of the needle gives the same ones. */
const GRAM = /^[\p{L}\p{N}]{3}$/u;

/** Most grams of a search looked up in the index; the LIKE that follows checks the rest. */
const MAX_NEEDLE_GRAMS = 8;

function gramsOf(text: string): string[] {
  const characters = [...text];
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= characters.length; i++) {
    const gram = characters.slice(i, i + 3).join('');
    if (GRAM.test(gram)) grams.add(gram);
  }
  return [...grams];
}

/** Every gram of a task's search text, keyed by its owner. */
export function searchGramsOf(ownerId: string, searchText: string): string[] {
  const owner = ownerKey(ownerId);
  return gramsOf(searchText).map((gram) => owner + gram);
}

/**
 * Grams every task containing `needle` has (none when it has no three letters or digits in a
 * row: then the owner's rows are scanned).
 */
export function needleGramsOf(ownerId: string, needle: string): string[] {
  const owner = ownerKey(ownerId);
  return gramsOf(needle)
    .slice(0, MAX_NEEDLE_GRAMS)
    .map((gram) => owner + gram);
}

/** A task's tags, keyed by its owner. */
export function ownerTagsOf(ownerId: string, tags: readonly string[]): string[] {
  const owner = ownerKey(ownerId);
  return tags.map((tag) => `${owner}:${tag}`);
}
