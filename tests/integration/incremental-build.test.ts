import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';

const exec = promisify(execFile);

/**
 * Every file tsc writes, with its mtime: dist/ but the page (esbuild rebuilds it in a blink) and
 * the /docs bundle (written by build-docs-bundle, only when Scalar changed).
 */
function compiledFiles(): Record<string, number> {
  const files: Record<string, number> = {};
  for (const dir of ['dist', 'dist-examples']) {
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      const path = join(entry.parentPath, entry.name);
      const copied = [join('dist', 'web'), join('dist', 'docs')].some((d) => path.startsWith(d));
      if (entry.isFile() && !copied) {
        files[path] = statSync(path).mtimeMs;
      }
    }
  }
  return files;
}

/**
 * `npm start` builds before it starts. With no source changed since the last build, that build
 * must find everything up to date and rewrite nothing (tsc -b with build info in dist/), which is
 * what makes a second start quick; a full compile rewrites every file.
 */
describe('the build npm start runs first', () => {
  it('rewrites no compiled file when no source changed since the last build', async () => {
    await exec('npm', ['run', 'build']); // up to date now, whatever ran before
    const built = compiledFiles();
    expect(Object.keys(built)).toContain(join('dist', 'main.js'));

    await exec('npm', ['run', 'build']);
    expect(compiledFiles()).toEqual(built);
  }, 120_000);
});
