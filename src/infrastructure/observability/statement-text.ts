/**
 * A SQL statement as a trace may keep it: every literal value replaced by `?`. MikroORM writes the
 * values of its statements into their text (a task's title, a user id, a date), so the text the
 * driver is given is not safe to export as it is. Kept: keywords, "quoted identifiers", `$1`
 * placeholders, NULL, TRUE and FALSE. Replaced: 'strings' (E'…' and U&'…' too), $tag$dollar
 * quoted$tag$ strings, and numbers that stand alone (not part of a name such as t1).
 */
export function withoutValues(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const char = sql.charAt(i);
    if (char === '"') {
      const end = closing(sql, i, '"');
      out += sql.slice(i, end);
      i = end;
    } else if (char === "'") {
      const escaped = /(^|[^\w$"])E$/i.test(out);
      out = dropStringPrefix(out) + '?';
      i = closing(sql, i, "'", escaped);
    } else if (char === '$' && !/\d/.test(sql.charAt(i + 1))) {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))?.[0];
      if (tag === undefined) {
        out += char;
        i += 1;
      } else {
        const end = sql.indexOf(tag, i + tag.length);
        out += '?';
        i = end === -1 ? sql.length : end + tag.length;
      }
    } else if (char === '$') {
      const placeholder = /^\$\d+/.exec(sql.slice(i))![0];
      out += placeholder;
      i += placeholder.length;
    } else if (/[A-Za-z_]/.test(char)) {
      const word = /^[A-Za-z_][\w$]*/.exec(sql.slice(i))![0];
      out += word;
      i += word.length;
    } else if (/\d/.test(char) || (char === '.' && /\d/.test(sql.charAt(i + 1)))) {
      const number = /^(\d*\.?\d+(e[+-]?\d+)?|\d+\.)/i.exec(sql.slice(i))![0];
      out += '?';
      i += number.length;
    } else {
      out += char;
      i += 1;
    }
  }
  return out;
}

/**
 * Where a quoted string or identifier starting at `start` ends: a doubled quote stays inside, and
 * in an E'…' string (`escaped`) a backslash escapes the next character.
 */
function closing(sql: string, start: number, quote: string, escaped = false): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql.charAt(i) === quote) {
      if (sql.charAt(i + 1) !== quote) return i + 1;
      i += 2;
    } else {
      i += escaped && sql.charAt(i) === '\\' ? 2 : 1;
    }
  }
  return sql.length;
}

/** A string literal's E or U& prefix, already copied, goes with the value. */
function dropStringPrefix(out: string): string {
  return out.replace(/(^|[^\w$"])(E|U&)$/i, '$1');
}
